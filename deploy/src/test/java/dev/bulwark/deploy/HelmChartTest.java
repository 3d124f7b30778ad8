package dev.bulwark.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import com.marcnuri.helm.DryRun;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Lints and renders {@code deploy/helm/bulwark} with the Helm embedded by helm-java, then checks the manifests.
 * No cluster and no helm binary are needed.
 */
class HelmChartTest {

  static final String RELEASE = "bulwark";
  static final String NAMESPACE = "bulwark";

  /** The six services: values key, component (resource name suffix), port, database (null: none). */
  enum Svc {
    WORKFLOW("workflowService", "workflow-service", 8081, "bulwark_workflow"),
    WORKER("workerAgent", "worker-agent", 8082, null),
    BACKBONE("backboneService", "backbone-service", 8083, "bulwark_backbone"),
    RELAY("relayService", "relay-service", 8084, "bulwark_relay"),
    DISPATCHER("dispatcherService", "dispatcher-service", 8085, null),
    ORCHESTRATOR("orchestratorService", "orchestrator-service", 8086, "bulwark_orchestrator");

    final String key;
    final String component;
    final int port;
    final String database;

    Svc(String key, String component, int port, String database) {
      this.key = key;
      this.component = component;
      this.port = port;
      this.database = database;
    }

    String resourceName() {
      return RELEASE + "-" + component;
    }
  }

  static Path chart;
  static LookupApi lookupApi;
  private static Manifests defaults;

  @BeforeAll
  static void locateChart() throws IOException {
    chart = Path.of(System.getProperty("bulwark.helm.chart", "helm/bulwark")).toAbsolutePath();
    assertThat(chart.resolve("Chart.yaml")).as("chart directory %s", chart).exists();
    // helm-java extracts its native library under java.io.tmpdir (target/tmp in the Maven build): it must exist.
    Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir")));
    lookupApi = LookupApi.start();
  }

  /** The chart rendered with its default values, once (rendered lazily so that a broken chart still gets linted). */
  static synchronized Manifests defaults() {
    if (defaults == null) {
      defaults = render(UnaryOperator.identity());
    }
    return defaults;
  }

  static Manifests render(UnaryOperator<TemplateCommand> options) {
    TemplateCommand command = new Helm(chart).template().withName(RELEASE).withNamespace(NAMESPACE);
    String yaml;
    try {
      yaml = options.apply(command).call();
    } catch (RuntimeException e) {
      throw new AssertionError("helm template failed: " + e.getMessage(), e);
    }
    return Manifests.parse(yaml);
  }

  /** What stands for "helm.sh/hook" in {@link #renderWithHooks}. */
  static final String HOOK_STAND_IN = "bulwark.test/hook";

  /**
   * The chart rendered with its hooks (the `helm test` pods) as ordinary objects: the embedded Helm's template
   * leaves hooks out, so they are rendered from a copy of the chart whose hook annotation is renamed.
   */
  static Manifests renderWithHooks(UnaryOperator<TemplateCommand> options) throws IOException {
    Path copy = Path.of(System.getProperty("java.io.tmpdir")).resolve("chart-with-hooks-" + System.nanoTime())
        .resolve("bulwark");
    try (Stream<Path> files = Files.walk(chart)) {
      for (Path source : files.toList()) {
        Path target = copy.resolve(chart.relativize(source).toString());
        if (Files.isDirectory(source)) {
          Files.createDirectories(target);
        } else {
          Files.writeString(target, Files.readString(source).replace("helm.sh/hook:", HOOK_STAND_IN + ":"));
        }
      }
    }
    Path original = chart;
    chart = copy;
    try {
      return render(options);
    } finally {
      chart = original;
    }
  }

  // --- lint ------------------------------------------------------------------------------------------------------

  @Test
  void chartLintsWithoutErrorsOrWarnings() {
    LintResult result = new Helm(chart).lint().call();
    List<String> problems = result.getMessages().stream()
        .filter(m -> m.contains("[ERROR]") || m.contains("[WARNING]"))
        .collect(Collectors.toList());
    assertThat(result.isFailed())
        .as("helm lint failed:%n  %s", String.join("\n  ", result.getMessages()))
        .isFalse();
    assertThat(problems).as("helm lint errors and warnings").isEmpty();
  }

  // --- default rendering -----------------------------------------------------------------------------------------

  @Test
  void defaultRenderingHasTheServicesTheirSecretsAndBudgetsAndNothingElse() {
    List<String> expected = Stream.of(Svc.values()).map(Svc::resourceName).collect(Collectors.toList());
    assertThat(defaults().names("Deployment")).as("Deployments").containsExactlyInAnyOrderElementsOf(expected);
    assertThat(defaults().names("Service")).as("Services").containsExactlyInAnyOrderElementsOf(expected);
    assertThat(defaults().names("PodDisruptionBudget")).as("PDBs").containsExactlyInAnyOrderElementsOf(expected);
    assertThat(defaults().names("Secret")).as("Secrets the chart creates: release-prefixed")
        .containsExactlyInAnyOrder("bulwark-issuer-keys", "bulwark-bootstrap-admin", "bulwark-credentials-master-key",
            "bulwark-worker-agent-account", "bulwark-dispatcher-account", "bulwark-webhook-key", "bulwark-job-key");
    assertThat(defaults().kinds()).as("kinds of rendered objects")
        .containsOnly("Deployment", "Service", "Secret", "PodDisruptionBudget");
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Svc.class)
  void deploymentHasPortProbesResourcesAndSecurityContext(Svc svc) {
    Node deployment = defaults().get("Deployment", svc.resourceName());
    Node container = onlyContainer(deployment);

    assertThat(container.str("name")).as("%s container name", svc.resourceName()).isEqualTo(svc.component);
    assertThat(container.str("image")).as("%s image", svc.resourceName())
        .isEqualTo("bulwark/" + svc.component + ":0.1.0-SNAPSHOT");
    List<Node> ports = container.list("ports");
    // workflow-service also has its management port (/q/metrics), never exposed beside the API otherwise.
    assertThat(ports).as("%s container ports", svc.resourceName()).hasSize(svc == Svc.WORKFLOW ? 2 : 1);
    assertThat(ports.get(0).integer("containerPort")).as("%s containerPort", svc.resourceName()).isEqualTo(svc.port);
    assertThat(env(container)).containsEntry("QUARKUS_HTTP_PORT", String.valueOf(svc.port));

    // A JVM on 100m CPU takes up to ~110 s to start: liveness must wait for the startup probe, which allows more.
    assertProbe(svc, container, "startupProbe", "/q/health/started");
    assertProbe(svc, container, "livenessProbe", "/q/health/live");
    assertProbe(svc, container, "readinessProbe", "/q/health/ready");
    Node startup = container.node("startupProbe");
    assertThat(startup.integer("periodSeconds") * startup.integer("failureThreshold"))
        .as("%s seconds the startup probe allows", svc.resourceName()).isGreaterThanOrEqualTo(180);

    for (String bound : List.of("requests", "limits")) {
      for (String resource : List.of("cpu", "memory")) {
        assertThat(container.opt("resources", bound, resource)).as("%s resources.%s.%s", svc.resourceName(), bound,
            resource).isPresent();
      }
    }
    Node security = container.node("securityContext");
    assertThat(security.bool("readOnlyRootFilesystem")).as("%s read-only root", svc.resourceName()).isTrue();
    assertThat(security.bool("allowPrivilegeEscalation")).as("%s privilege escalation", svc.resourceName()).isFalse();
    assertThat(security.opt("capabilities", "drop")).hasValue(List.of("ALL"));
    Node pod = deployment.node("spec", "template", "spec");
    assertThat(pod.integer("securityContext", "runAsUser")).isEqualTo(185);
    // Without fsGroup the kubelet mounts Secrets root:root and user 185 cannot read them (AccessDeniedException).
    assertThat(pod.integer("securityContext", "fsGroup")).as("%s fsGroup", svc.resourceName()).isEqualTo(185);
    for (Node volume : pod.list("volumes")) {
      volume.opt("secret").ifPresent(secret -> assertThat(
          ((Number) new Node(secret, "secret").required("defaultMode")).intValue() & 0040)
          .as("%s Secret volume %s readable by the group", svc.resourceName(), volume.str("name")).isEqualTo(0040));
    }
    String tmpVolume = container.list("volumeMounts").stream()
        .filter(m -> "/tmp".equals(m.str("mountPath"))).map(m -> m.str("name")).findFirst()
        .orElseGet(() -> fail("%s mounts nothing at /tmp", svc.resourceName()));
    assertThat(pod.list("volumes").stream().filter(v -> tmpVolume.equals(v.str("name"))).findFirst()
        .flatMap(v -> v.opt("emptyDir"))).as("%s /tmp is an emptyDir", svc.resourceName()).isPresent();

    assertThat(deployment.map("spec", "template", "metadata", "annotations")).as("%s pod annotations",
        svc.resourceName()).containsKey("checksum/secrets");
    assertThat(pod.list("topologySpreadConstraints")).as("%s topology spread", svc.resourceName()).isNotEmpty();
    assertThat(deployment.map("spec", "selector", "matchLabels"))
        .containsEntry("app.kubernetes.io/instance", RELEASE)
        .containsEntry("app.kubernetes.io/component", svc.component);
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Svc.class)
  void serviceExposesThePortAndSelectsTheDeploymentPods(Svc svc) {
    Node service = defaults().get("Service", svc.resourceName());
    List<Node> ports = service.list("spec", "ports");
    assertThat(ports).hasSize(svc == Svc.WORKFLOW ? 2 : 1);
    assertThat(ports.get(0).integer("port")).as("%s Service port", svc.resourceName()).isEqualTo(svc.port);
    Node deployment = defaults().get("Deployment", svc.resourceName());
    assertThat(service.map("spec", "selector")).isEqualTo(deployment.map("spec", "selector", "matchLabels"));
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Svc.class)
  void datasourceEnvPointsAtTheServiceOwnDatabase(Svc svc) {
    Map<String, Object> env = env(onlyContainer(defaults().get("Deployment", svc.resourceName())));
    if (svc.database == null) {
      assertThat(env.keySet()).noneMatch(name -> name.startsWith("QUARKUS_DATASOURCE_"));
      return;
    }
    assertThat(env).containsEntry("QUARKUS_DATASOURCE_JDBC_URL",
        "jdbc:postgresql://bulwark-postgresql:5432/" + svc.database);
    assertSecretRef(svc, env, "QUARKUS_DATASOURCE_PASSWORD", "bulwark-postgresql", "password");
  }

  @Test
  void theDispatcherGetsItsRedisAndTheWorkflowUrlKeyItReads() {
    Map<String, Object> env = env(onlyContainer(defaults().get("Deployment", Svc.DISPATCHER.resourceName())));
    assertThat(env).containsEntry("QUARKUS_REDIS_HOSTS", "redis://bulwark-redis:6379")
        .containsEntry("BULWARK_DISPATCHER_SUITE_WORKFLOW_URL", "http://bulwark-workflow-service:8081")
        .containsEntry("KAFKA_BOOTSTRAP_SERVERS", "bulwark-kafka-bootstrap:9092")
        .doesNotContainKey("BULWARK_WORKFLOW_URL");
  }

  @Test
  void urlsBetweenServicesFollowTheReleaseName() {
    Manifests prod = render(t -> t.withName("prod"));
    Map<String, Object> worker = env(onlyContainer(prod.get("Deployment", "prod-bulwark-worker-agent")));
    assertThat(worker).containsEntry("BULWARK_WORKFLOW_URL", "http://prod-bulwark-workflow-service:8081")
        .containsEntry("MP_JWT_VERIFY_ISSUER", "http://prod-bulwark-workflow-service:8081")
        .containsEntry("MP_JWT_VERIFY_PUBLICKEY_LOCATION",
            "http://prod-bulwark-workflow-service:8081/.well-known/jwks.json")
        .containsEntry("BULWARK_REVOCATION_URL",
            "http://prod-bulwark-workflow-service:8081/.well-known/revocations.json");
    Map<String, Object> backbone = env(onlyContainer(prod.get("Deployment", "prod-bulwark-backbone-service")));
    assertThat(backbone).containsEntry("QUARKUS_REST_CLIENT_ISSUER_URL", "http://prod-bulwark-workflow-service:8081");
  }

  @Test
  void suiteAccountsAreProvisionedFromTheSecretsTheirCallersUse() {
    Node workflow = defaults().get("Deployment", Svc.WORKFLOW.resourceName());
    Node container = onlyContainer(workflow);
    assertThat(env(container)).containsEntry("BULWARK_SERVICE_ACCOUNTS_DIR", "/etc/bulwark/service-accounts");
    Map<String, String> mounted = new LinkedHashMap<>();
    Map<String, String> volumeSecrets = new LinkedHashMap<>();
    workflow.list("spec", "template", "spec", "volumes").forEach(v -> v.opt("secret")
        .ifPresent(s -> volumeSecrets.put(v.str("name"), new Node(s, "secret").str("secretName"))));
    container.list("volumeMounts").forEach(m -> {
      if (volumeSecrets.containsKey(m.str("name"))) {
        mounted.put(m.str("mountPath"), volumeSecrets.get(m.str("name")));
      }
    });
    assertThat(mounted)
        .containsEntry("/etc/bulwark/service-accounts/worker-agent", "bulwark-worker-agent-account")
        .containsEntry("/etc/bulwark/service-accounts/dispatcher", "bulwark-dispatcher-account")
        .containsEntry("/etc/bulwark/issuer", "bulwark-issuer-keys");

    assertSecretRef(Svc.WORKER, env(onlyContainer(defaults().get("Deployment", Svc.WORKER.resourceName()))),
        "BULWARK_WORKER_CLIENT_ID", "bulwark-worker-agent-account", "client-id");
    assertSecretRef(Svc.DISPATCHER, env(onlyContainer(defaults().get("Deployment", Svc.DISPATCHER.resourceName()))),
        "BULWARK_DISPATCHER_SUITE_CLIENT_SECRET", "bulwark-dispatcher-account", "client-secret");
    for (String[] account : new String[][] {{"bulwark-worker-agent-account", "worker"},
        {"bulwark-dispatcher-account", "dispatcher,relay-client,backbone-client"}}) {
      Map<String, String> data = secretData(defaults().get("Secret", account[0]));
      assertThat(data.get("roles")).as("%s roles", account[0]).isEqualTo(account[1]);
      assertThat(data.get("client-id")).as("%s client id", account[0]).matches("sa-[0-9a-f]{32}");
      assertThat(data.get("client-secret")).as("%s client secret", account[0]).hasSizeGreaterThanOrEqualTo(32);
    }
  }

  @Test
  void theWorkerAgentGetsANameOfItsOwnAndTimeToFinishTasks() {
    Node deployment = defaults().get("Deployment", Svc.WORKER.resourceName());
    Map<String, Object> env = env(onlyContainer(deployment));
    assertThat(new Node(env.get("BULWARK_WORKER_NAME"), "worker name").str("fieldRef", "fieldPath"))
        .isEqualTo("metadata.name");
    assertThat(deployment.integer("spec", "template", "spec", "terminationGracePeriodSeconds")).isGreaterThan(30);
  }

  @Test
  void onlyTheIssuerGetsTheSigningKeysAndTheBootstrapAdmin() {
    for (Svc svc : Svc.values()) {
      Map<String, Object> env = env(onlyContainer(defaults().get("Deployment", svc.resourceName())));
      if (svc == Svc.WORKFLOW) {
        assertThat(env).containsEntry("BULWARK_ISSUER_PRIVATE_KEY", "/etc/bulwark/issuer/private.pem");
        assertSecretRef(svc, env, "BULWARK_BOOTSTRAP_ADMIN_PASSWORD", "bulwark-bootstrap-admin", "password");
      } else {
        assertThat(env).as("%s must not get the issuer's keys", svc.resourceName())
            .doesNotContainKeys("BULWARK_ISSUER_PRIVATE_KEY", "BULWARK_BOOTSTRAP_ADMIN_PASSWORD");
      }
    }
  }

  @Test
  void theChartGeneratesTheIssuerKeyAndMountsOnlyThePrivateKey() throws Exception {
    Node secret = defaults().get("Secret", "bulwark-issuer-keys");
    assertThat(secret.map("metadata", "annotations")).containsEntry("helm.sh/resource-policy", "keep");
    Map<String, String> data = secretData(secret);
    assertThat(data).containsOnlyKeys("private.pem");
    assertThat(pkcs1(data.get("private.pem")).getModulus().bitLength()).isGreaterThanOrEqualTo(2048);
    Node workflow = defaults().get("Deployment", Svc.WORKFLOW.resourceName());
    assertThat(issuerKeyFiles(workflow)).containsExactly("private.pem");
    assertThat(env(onlyContainer(workflow))).containsEntry("BULWARK_ISSUER_PRIVATE_KEY", "/etc/bulwark/issuer/private.pem")
        .doesNotContainKey("BULWARK_ISSUER_PUBLIC_KEY");
  }

  @Test
  void theGeneratedIssuerKeyIsKeptOnUpgradeAndNewOnAFreshInstall() {
    String kept = defaults().get("Secret", "bulwark-issuer-keys").map("data").get("private.pem").toString();
    lookupApi.secrets.put(NAMESPACE + "/bulwark-issuer-keys", Map.of("apiVersion", "v1", "kind", "Secret",
        "metadata", Map.of("name", "bulwark-issuer-keys", "namespace", NAMESPACE),
        "data", Map.of("private.pem", kept)));
    try {
      assertThat(render(UnaryOperator.identity()).get("Secret", "bulwark-issuer-keys").map("data"))
          .containsEntry("private.pem", kept);
    } finally {
      lookupApi.secrets.clear();
    }
    assertThat(render(UnaryOperator.identity()).get("Secret", "bulwark-issuer-keys").map("data").get("private.pem"))
        .as("a fresh install generates a new key").isNotEqualTo(kept);
  }

  @Test
  void aGivenIssuerKeyIsMountedAsGiven() {
    Manifests given = render(t -> t.set("issuerKeys.privateKey", "PRIVATE").set("issuerKeys.publicKey", "PUBLIC")
        .set("issuerKeys.previousPublicKeys[0]", "old.pem"));
    assertThat(secretData(given.get("Secret", "bulwark-issuer-keys")))
        .containsExactlyInAnyOrderEntriesOf(Map.of("private.pem", "PRIVATE", "public.pem", "PUBLIC"));
    Node workflow = given.get("Deployment", Svc.WORKFLOW.resourceName());
    assertThat(issuerKeyFiles(workflow)).containsExactly("private.pem", "public.pem", "old.pem");
    assertThat(env(onlyContainer(workflow))).containsEntry("BULWARK_ISSUER_PUBLIC_KEY", "/etc/bulwark/issuer/public.pem")
        .containsEntry("BULWARK_ISSUER_PREVIOUS_PUBLIC_KEYS", "/etc/bulwark/issuer/old.pem");

    Manifests privateOnly = render(t -> t.set("issuerKeys.privateKey", "PRIVATE"));
    assertThat(secretData(privateOnly.get("Secret", "bulwark-issuer-keys"))).containsOnlyKeys("private.pem");
    assertThat(issuerKeyFiles(privateOnly.get("Deployment", Svc.WORKFLOW.resourceName())))
        .containsExactly("private.pem");

    Manifests existing = render(t -> t.set("issuerKeys.existingSecret", "my-issuer"));
    assertThat(existing.names("Secret")).doesNotContain("bulwark-issuer-keys", "my-issuer");
    assertThat(issuerKeyFiles(existing.get("Deployment", Svc.WORKFLOW.resourceName()))).containsExactly("private.pem");
    Manifests existingPair = render(t -> t.set("issuerKeys.existingSecret", "my-issuer")
        .set("issuerKeys.publicKeyInSecret", true));
    assertThat(issuerKeyFiles(existingPair.get("Deployment", Svc.WORKFLOW.resourceName())))
        .containsExactly("private.pem", "public.pem");

    assertThatThrownBy(() -> render(t -> t.set("issuerKeys.publicKey", "PUBLIC")))
        .hasMessageContaining("issuerKeys.publicKey needs issuerKeys.privateKey");
  }

  @Test
  void theReadmeInstallStepsCreateEverySecretTheirValuesNeed() throws IOException {
    String readme = Files.readString(chart.getParent().resolve("README.md"));
    java.util.regex.Matcher values = java.util.regex.Pattern.compile("`my-values\\.yaml`:\\s*```yaml\\n(.*?)```",
        java.util.regex.Pattern.DOTALL).matcher(readme);
    assertThat(values.find()).as("the README's my-values.yaml example").isTrue();
    Path file = Path.of(System.getProperty("java.io.tmpdir")).resolve("readme-values-" + System.nanoTime() + ".yaml");
    Files.writeString(file, values.group(1).stripIndent().replace("<your-registry>", "registry.example"));
    Manifests manifests = render(t -> t.withValuesFile(file));

    java.util.Set<String> needed = new java.util.TreeSet<>();
    for (String name : manifests.names("Deployment")) {
      Node spec = manifests.get("Deployment", name).node("spec", "template", "spec");
      spec.list("volumes").forEach(v -> v.opt("secret", "secretName").ifPresent(n -> needed.add(n.toString())));
      for (Node container : spec.list("containers")) {
        container.list("env").forEach(e -> e.opt("valueFrom", "secretKeyRef", "name")
            .ifPresent(n -> needed.add(n.toString())));
      }
    }
    manifests.get("Ingress", RELEASE).list("spec", "tls").forEach(tls -> needed.add(tls.str("secretName")));
    needed.removeAll(manifests.names("Secret"));

    java.util.Set<String> created = new java.util.TreeSet<>();
    java.util.regex.Matcher create = java.util.regex.Pattern
        .compile("kubectl (?:-n \\S+ )?create secret (?:generic|tls) (\\S+)").matcher(readme);
    while (create.find()) {
      created.add(create.group(1));
    }
    assertThat(needed).as("Secrets the README's values name but the chart does not create").isNotEmpty();
    assertThat(created).as("Secrets the README's install steps create").containsAll(needed);
  }

  /** The files of the issuer-keys Secret volume a workflow-service Deployment mounts, in order. */
  static List<String> issuerKeyFiles(Node deployment) {
    Node volume = deployment.list("spec", "template", "spec", "volumes").stream()
        .filter(v -> "issuer-keys".equals(v.str("name"))).findFirst().orElseThrow();
    return volume.list("secret", "items").stream().map(item -> {
      assertThat(item.str("key")).isEqualTo(item.str("path"));
      return item.str("path");
    }).toList();
  }

  /** A PKCS#1 PEM RSA private key ("RSA PRIVATE KEY", as Helm's genPrivateKey writes it), parsed by the JDK. */
  static java.security.interfaces.RSAPrivateCrtKey pkcs1(String pem) throws Exception {
    assertThat(pem).startsWith("-----BEGIN RSA PRIVATE KEY-----\n").endsWith("-----END RSA PRIVATE KEY-----\n");
    byte[] der = java.util.Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", ""));
    // The JDK reads PKCS#8 only: wrap the PKCS#1 structure in a PrivateKeyInfo (version 0, rsaEncryption).
    byte[] version = {0x02, 0x01, 0x00};
    byte[] rsaEncryption = {0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01,
        0x01, 0x01, 0x05, 0x00};
    java.io.ByteArrayOutputStream info = new java.io.ByteArrayOutputStream();
    info.write(version);
    info.write(rsaEncryption);
    info.write(der(0x04, der));
    return (java.security.interfaces.RSAPrivateCrtKey) java.security.KeyFactory.getInstance("RSA")
        .generatePrivate(new java.security.spec.PKCS8EncodedKeySpec(der(0x30, info.toByteArray())));
  }

  /** One DER tag-length-value. */
  static byte[] der(int tag, byte[] content) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    out.write(tag);
    if (content.length < 0x80) {
      out.write(content.length);
    } else {
      byte[] length = java.math.BigInteger.valueOf(content.length).toByteArray();
      int skip = length[0] == 0 ? 1 : 0;
      out.write(0x80 | (length.length - skip));
      out.write(length, skip, length.length - skip);
    }
    out.writeBytes(content);
    return out.toByteArray();
  }

  // --- overrides -------------------------------------------------------------------------------------------------

  @Test
  void userEnvComesAfterTheRequiredWiringAndDropsNoneOfIt() {
    Manifests manifests = render(t -> t
        .set("workerAgent.extraEnv[0].name", "DOCKER_HOST")
        .set("workerAgent.extraEnv[0].value", "tcp://docker:2376")
        .set("global.extraEnv[0].name", "TZ")
        .set("global.extraEnv[0].value", "UTC"));
    Map<String, Object> env = env(onlyContainer(manifests.get("Deployment", Svc.WORKER.resourceName())));
    assertThat(env).containsEntry("DOCKER_HOST", "tcp://docker:2376").containsEntry("TZ", "UTC")
        .containsKeys("BULWARK_WORKER_CLIENT_ID", "BULWARK_WORKER_CLIENT_SECRET", "BULWARK_WORKER_NAME");
    List<String> names = new ArrayList<>(env.keySet());
    assertThat(names.indexOf("DOCKER_HOST")).isGreaterThan(names.indexOf("BULWARK_WORKER_CLIENT_SECRET"));
  }

  @Test
  void theOrchestratorScalesOutWithLeasedRunsAndASealedJobKey() {
    Node deployment = render(t -> t.set("orchestratorService.replicas", 3))
        .get("Deployment", Svc.ORCHESTRATOR.resourceName());
    assertThat(deployment.str("spec", "strategy", "type")).isEqualTo("RollingUpdate");
    assertThat(deployment.integer("spec", "replicas")).isEqualTo(3);
    assertThat(env(onlyContainer(deployment))).doesNotContainKey("BULWARK_ORCHESTRATOR_OUTCOMES_DIRECTORY");
    assertThat(onlyContainer(deployment).value.toString()).contains("BULWARK_ORCHESTRATOR_JOB_KEY").contains("bulwark-job-key");
  }

  @Test
  void workflowServiceMetricsAreScrapedOnTheManagementPortAndTheDispatcherIsADeclaredBackboneClient() {
    Manifests manifests = render(t -> t.set("serviceMonitor.enabled", true));
    Node monitor = manifests.get("ServiceMonitor", Svc.WORKFLOW.resourceName());
    assertThat(monitor.value.toString()).contains("port=management");
    assertThat(env(onlyContainer(manifests.get("Deployment", Svc.WORKFLOW.resourceName()))))
        .containsEntry("QUARKUS_MANAGEMENT_PORT", "9081");
    assertThat(onlyContainer(manifests.get("Deployment", Svc.BACKBONE.resourceName())).value.toString())
        .contains("BULWARK_BACKBONE_DECLARED_CLIENTS__DISPATCHER__SUBJECT").contains("bulwark-dispatcher-account");
  }

  @Test
  void valuesOfTheWrongTypeOrUnknownKeysFailTheRender() {
    assertThatThrownBy(() -> render(t -> t.set("workflowService.replicas", "three")))
        .hasMessageContaining("/workflowService/replicas");
    assertThatThrownBy(() -> render(t -> t.set("workflowService.replicaCount", 3)))
        .hasMessageContaining("replicaCount");
    assertThatThrownBy(() -> render(t -> t.set("global.kafka.securityProtocol", "SASL")))
        .hasMessageContaining("securityProtocol");
    assertThatThrownBy(() -> render(t -> t.set("workerAgent.env[0].name", "X")))
        .as("the old `env` key is gone: it silently replaced the required wiring").hasMessageContaining("env");
  }

  @Test
  void externalInfrastructureWithTlsAndSasl() {
    Manifests manifests = render(t -> t
        .set("global.postgres.password", "pg-secret")
        .set("global.postgres.sslMode", "verify-full")
        .set("global.postgres.tls.existingSecret", "pg-ca")
        .set("global.kafka.securityProtocol", "SASL_SSL")
        .set("global.kafka.sasl.mechanism", "SCRAM-SHA-512")
        .set("global.kafka.sasl.username", "bulwark")
        .set("global.kafka.sasl.existingSecret", "kafka-user")
        .set("global.kafka.tls.existingSecret", "kafka-ca")
        .set("global.redis.hosts", "rediss://redis.example:6380")
        .set("global.redis.existingSecret", "redis-auth"));
    Map<String, Object> workflow = env(onlyContainer(manifests.get("Deployment", Svc.WORKFLOW.resourceName())));
    assertThat(workflow)
        .containsEntry("QUARKUS_DATASOURCE_JDBC_URL", "jdbc:postgresql://bulwark-postgresql:5432/bulwark_workflow"
            + "?sslmode=verify-full&sslrootcert=/etc/bulwark/tls/postgres/ca.crt")
        .containsEntry("KAFKA_SECURITY_PROTOCOL", "SASL_SSL")
        .containsEntry("KAFKA_SASL_MECHANISM", "SCRAM-SHA-512")
        .containsEntry("KAFKA_SASL_JAAS_CONFIG", "org.apache.kafka.common.security.scram.ScramLoginModule required"
            + " username=\"bulwark\" password=\"$(BULWARK_KAFKA_SASL_PASSWORD)\";")
        .containsEntry("KAFKA_SSL_TRUSTSTORE_LOCATION", "/etc/bulwark/tls/kafka/ca.crt");
    List<String> names = new ArrayList<>(workflow.keySet());
    assertThat(names.indexOf("BULWARK_KAFKA_SASL_PASSWORD")).as("$(VAR) needs the variable defined before")
        .isLessThan(names.indexOf("KAFKA_SASL_JAAS_CONFIG"));
    assertSecretRef(Svc.WORKFLOW, workflow, "BULWARK_KAFKA_SASL_PASSWORD", "kafka-user", "password");
    assertSecretRef(Svc.WORKFLOW, workflow, "QUARKUS_DATASOURCE_PASSWORD", "bulwark-postgresql", "password");
    assertThat(secretData(manifests.get("Secret", "bulwark-postgresql"))).containsEntry("password", "pg-secret");
    Map<String, Object> orchestrator = env(onlyContainer(manifests.get("Deployment",
        Svc.ORCHESTRATOR.resourceName())));
    assertThat(orchestrator).containsEntry("QUARKUS_REDIS_HOSTS", "rediss://redis.example:6380");
    assertSecretRef(Svc.ORCHESTRATOR, orchestrator, "QUARKUS_REDIS_PASSWORD", "redis-auth", "password");
  }

  @Test
  void rabbitMqOverTlsWithAClientCertificate() {
    Manifests manifests = render(t -> t
        .set("global.rabbitmq.password", "mq-secret")
        .set("global.rabbitmq.port", 5671)
        .set("global.rabbitmq.tls.enabled", true)
        .set("global.rabbitmq.tls.existingSecret", "mq-tls")
        .set("global.rabbitmq.tls.clientCertificate", true));
    Node backbone = manifests.get("Deployment", Svc.BACKBONE.resourceName());
    Node container = onlyContainer(backbone);
    assertThat(env(container))
        .containsEntry("RABBITMQ_PORT", "5671")
        .containsEntry("RABBITMQ_TLS_ENABLED", "true")
        .containsEntry("RABBITMQ_TLS_VERIFY_HOSTNAME", "true")
        .containsEntry("RABBITMQ_TLS_CA_FILE", "/etc/bulwark/tls/rabbitmq/ca.crt")
        .containsEntry("RABBITMQ_TLS_CERT_FILE", "/etc/bulwark/tls/rabbitmq/tls.crt")
        .containsEntry("RABBITMQ_TLS_KEY_FILE", "/etc/bulwark/tls/rabbitmq/tls.key");
    Node volume = backbone.list("spec", "template", "spec", "volumes").stream()
        .filter(v -> "rabbitmq-tls".equals(v.str("name"))).findFirst().orElseThrow();
    assertThat(volume.str("secret", "secretName")).isEqualTo("mq-tls");
    assertThat(volume.integer("secret", "defaultMode")).as("the client key: owner and group only").isEqualTo(0440);
    assertThat(container.list("volumeMounts")).anySatisfy(m ->
        assertThat(m.str("mountPath")).isEqualTo("/etc/bulwark/tls/rabbitmq"));
    assertThat(onlyContainer(manifests.get("Deployment", Svc.WORKFLOW.resourceName())).value.toString())
        .as("only the backbone talks to RabbitMQ").doesNotContain("RABBITMQ_TLS");

    assertThatThrownBy(() -> render(t -> t.set("global.rabbitmq.password", "mq-secret")
        .set("global.rabbitmq.tls.enabled", true).set("global.rabbitmq.tls.clientCertificate", true)))
        .hasMessageContaining("clientCertificate needs global.rabbitmq.tls.existingSecret");
  }

  @Test
  void existingSecretsReplaceTheGeneratedOnes() {
    Manifests manifests = render(t -> t
        .set("bootstrapAdmin.existingSecret", "my-admin")
        .set("credentialsMasterKey.existingSecret", "my-master")
        .set("webhookKey.existingSecret", "my-webhook")
        .set("jobKey.existingSecret", "my-job-key")
        .set("serviceAccounts.workerAgent.existingSecret", "my-worker")
        .set("serviceAccounts.dispatcher.existingSecret", "my-dispatcher")
        .set("issuerKeys.existingSecret", "my-issuer"));
    assertThat(manifests.names("Secret")).isEmpty();
    assertSecretRef(Svc.WORKER, env(onlyContainer(manifests.get("Deployment", Svc.WORKER.resourceName()))),
        "BULWARK_WORKER_CLIENT_ID", "my-worker", "client-id");
  }

  @Test
  void ingressPdbNetworkPolicyServiceMonitorAndAutoscaling() {
    Manifests manifests = render(t -> t
        .set("ingress.enabled", true)
        .set("ingress.workflow.host", "bulwark.example")
        .set("ingress.relay.host", "relay.example")
        .set("networkPolicy.enabled", true)
        .set("serviceMonitor.enabled", true)
        .set("relayService.autoscaling.enabled", true));
    Node ingress = manifests.get("Ingress", "bulwark");
    assertThat(ingress.list("spec", "rules").stream().map(r -> r.str("host")))
        .containsExactly("bulwark.example", "relay.example");
    assertThat(env(onlyContainer(manifests.get("Deployment", Svc.RELAY.resourceName()))))
        .containsEntry("BULWARK_RELAY_PUBLIC_URL", "https://relay.example");
    assertThat(env(onlyContainer(manifests.get("Deployment", Svc.WORKFLOW.resourceName()))))
        .containsEntry("BULWARK_WORKFLOW_TRIGGERS_PUBLIC_URL", "https://bulwark.example");
    assertThat(manifests.names("NetworkPolicy")).hasSize(Svc.values().length);
    assertThat(manifests.names("ServiceMonitor")).hasSize(Svc.values().length);
    assertThat(manifests.names("HorizontalPodAutoscaler")).containsExactly(Svc.RELAY.resourceName());
    assertThat(manifests.get("Deployment", Svc.RELAY.resourceName()).opt("spec", "replicas"))
        .as("an autoscaled Deployment leaves replicas to the HPA").isEmpty();
    Node backboneIngress = manifests.get("NetworkPolicy", Svc.BACKBONE.resourceName());
    assertThat(backboneIngress.list("spec", "ingress").get(0).list("from").stream()
        .map(f -> f.opt("podSelector", "matchLabels", "app.kubernetes.io/component").orElse(null)))
        .containsExactly("dispatcher-service", "test");
  }

  @Test
  void aServiceNoPodMayCallAdmitsNobodyRatherThanEverybody() {
    Manifests manifests = render(t -> t.set("networkPolicy.enabled", true).set("tests.enabled", false));
    Node worker = manifests.get("NetworkPolicy", Svc.WORKER.resourceName());
    assertThat(worker.list("spec", "ingress")).as("ingress rules of the worker's policy").isEmpty();
  }

  @Test
  void helmTestPodsCheckEveryServiceReadiness() throws IOException {
    Manifests hooks = renderWithHooks(UnaryOperator.identity());
    List<String> pods = hooks.names("Pod");
    assertThat(pods).hasSize(Svc.values().length);
    Node pod = hooks.get("Pod", Svc.WORKFLOW.resourceName() + "-test");
    assertThat(pod.map("metadata", "annotations")).containsEntry(HOOK_STAND_IN, "test");
    assertThat(pod.list("spec", "containers").get(0).list("command").get(2).value.toString())
        .contains("/dev/tcp/bulwark-workflow-service/8081").contains("/q/health/ready");
  }

  @Test
  void generatedSecretsKeepTheirValuesOnUpgrade() {
    String kept = java.util.Base64.getEncoder().encodeToString("kept-master-key".getBytes());
    lookupApi.secrets.put(NAMESPACE + "/bulwark-credentials-master-key", Map.of("apiVersion", "v1", "kind", "Secret",
        "metadata", Map.of("name", "bulwark-credentials-master-key", "namespace", NAMESPACE),
        "data", Map.of("k1", kept)));
    try {
      assertThat(secretData(render(UnaryOperator.identity()).get("Secret", "bulwark-credentials-master-key")))
          .containsEntry("k1", "kept-master-key");
    } finally {
      lookupApi.secrets.clear();
    }
    assertThat(secretData(render(UnaryOperator.identity()).get("Secret", "bulwark-credentials-master-key")).get("k1"))
        .as("a new install generates 32 random bytes").isNotEqualTo("kept-master-key")
        .satisfies(k -> assertThat(java.util.Base64.getDecoder().decode(k)).hasSize(32));
  }

  @Test
  void notesListTheServicesAndTheFirstSteps() {
    String notes = installNotes("bulwark");
    assertThat(notes)
        .contains("http://bulwark-workflow-service.bulwark.svc:8081")
        .contains("bulwark-bootstrap-admin")
        .contains("bulwark-issuer-keys");
  }

  /** NOTES.txt as rendered by a client-only dry-run install (helm template does not render it). */
  static String installNotes(String release) {
    String output = new Helm(chart).install().withName(release).withNamespace(NAMESPACE)
        .clientOnly().withDryRunOption(DryRun.CLIENT).call().getOutput();
    int notes = output.indexOf("NOTES:");
    assertThat(notes).as("dry-run output has NOTES:%n%s", output).isNotNegative();
    return output.substring(notes);
  }

  // --- helpers ---------------------------------------------------------------------------------------------------

  static Node onlyContainer(Node deployment) {
    List<Node> containers = deployment.list("spec", "template", "spec", "containers");
    assertThat(containers).as("containers of Deployment %s", deployment.str("metadata", "name")).hasSize(1);
    return containers.get(0);
  }

  /** Env of a container: name to value (a String) or to valueFrom (a Map). */
  static Map<String, Object> env(Node container) {
    Map<String, Object> env = new LinkedHashMap<>();
    for (Node var : container.list("env")) {
      Object value = var.opt("value").orElse(null);
      env.put(var.str("name"), value != null ? value : var.opt("valueFrom").orElse(null));
    }
    return env;
  }

  static void assertProbe(Svc svc, Node container, String probe, String path) {
    Node p = container.node(probe);
    assertThat(p.str("httpGet", "path")).as("%s %s path", svc.resourceName(), probe).isEqualTo(path);
    assertThat(p.opt("httpGet", "port").map(Object::toString))
        .as("%s %s port", svc.resourceName(), probe).hasValue("http");
    for (String field : List.of("periodSeconds", "failureThreshold")) {
      assertThat(p.opt(field)).as("%s %s.%s", svc.resourceName(), probe, field)
          .hasValueSatisfying(v -> assertThat(((Number) v).intValue()).isPositive());
    }
  }

  /** A Secret's data, decoded. */
  static Map<String, String> secretData(Node secret) {
    Map<String, String> data = new LinkedHashMap<>();
    secret.map("data").forEach((k, v) -> data.put(k, new String(java.util.Base64.getDecoder().decode(v.toString()),
        java.nio.charset.StandardCharsets.UTF_8)));
    return data;
  }

  static void assertSecretRef(Svc svc, Map<String, Object> env, String name, String secret, String key) {
    assertThat(env.get(name)).as("%s env %s", svc.resourceName(), name).isInstanceOf(Map.class);
    Node ref = new Node(env.get(name), svc.resourceName() + " env " + name);
    assertThat(ref.str("secretKeyRef", "name")).as("%s env %s secret", svc.resourceName(), name).isEqualTo(secret);
    assertThat(ref.str("secretKeyRef", "key")).as("%s env %s secret key", svc.resourceName(), name).isEqualTo(key);
  }

  /** The rendered objects of one {@code helm template} run. */
  static final class Manifests {
    final List<Node> objects;

    private Manifests(List<Node> objects) {
      this.objects = objects;
    }

    static Manifests parse(String yaml) {
      Yaml parser = new Yaml(new SafeConstructor(new LoaderOptions()));
      List<Node> objects = new ArrayList<>();
      int index = 0;
      for (Object document : parser.loadAll(yaml)) {
        index++;
        if (document == null) {
          continue; // empty document, e.g. a template that rendered nothing
        }
        assertThat(document).as("rendered document #%d is a mapping", index).isInstanceOf(Map.class);
        Node object = new Node(document, "document #" + index);
        assertThat(object.opt("kind")).as("document #%d kind", index).isPresent();
        assertThat(object.opt("metadata", "name")).as("document #%d metadata.name", index).isPresent();
        objects.add(new Node(document, object.str("kind") + " " + object.str("metadata", "name")));
      }
      assertThat(objects).as("rendered objects").isNotEmpty();
      return new Manifests(objects);
    }

    List<String> names(String kind) {
      return objects.stream().filter(o -> kind.equals(o.str("kind"))).map(o -> o.str("metadata", "name"))
          .collect(Collectors.toList());
    }

    List<String> kinds() {
      return objects.stream().map(o -> o.str("kind")).distinct().collect(Collectors.toList());
    }

    Node get(String kind, String name) {
      List<Node> matches = objects.stream()
          .filter(o -> kind.equals(o.str("kind")) && name.equals(o.str("metadata", "name")))
          .collect(Collectors.toList());
      if (matches.size() != 1) {
        fail("expected exactly one %s named %s, found %d; rendered %s: %s", kind, name, matches.size(), kind,
            names(kind));
      }
      return matches.get(0);
    }
  }

  /** A parsed YAML value with a description, navigated by keys; missing keys fail with the path in the message. */
  static final class Node {
    final Object value;
    final String where;

    Node(Object value, String where) {
      this.value = value;
      this.where = where;
    }

    Optional<Object> opt(String... path) {
      Object current = value;
      for (String key : path) {
        if (!(current instanceof Map)) {
          return Optional.empty();
        }
        current = ((Map<?, ?>) current).get(key);
      }
      return Optional.ofNullable(current);
    }

    Object required(String... path) {
      return opt(path).orElseGet(() -> fail("%s: missing %s", where, String.join(".", path)));
    }

    Node node(String... path) {
      return new Node(required(path), where + " " + String.join(".", path));
    }

    String str(String... path) {
      return required(path).toString();
    }

    int integer(String... path) {
      Object v = required(path);
      if (!(v instanceof Number)) {
        fail("%s: %s is not a number: %s", where, String.join(".", path), v);
      }
      return ((Number) v).intValue();
    }

    boolean bool(String... path) {
      Object v = required(path);
      if (!(v instanceof Boolean)) {
        fail("%s: %s is not a boolean: %s", where, String.join(".", path), v);
      }
      return (Boolean) v;
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> map(String... path) {
      Object v = required(path);
      if (!(v instanceof Map)) {
        fail("%s: %s is not a mapping: %s", where, String.join(".", path), v);
      }
      return (Map<String, Object>) v;
    }

    List<Node> list(String... path) {
      Object v = required(path);
      if (!(v instanceof List)) {
        fail("%s: %s is not a list: %s", where, String.join(".", path), v);
      }
      String at = where + " " + String.join(".", path);
      List<Node> nodes = new ArrayList<>();
      int i = 0;
      for (Object item : (List<?>) v) {
        nodes.add(new Node(item, at + "[" + i++ + "]"));
      }
      return nodes;
    }

    @Override
    public String toString() {
      return where + ": " + value;
    }
  }
}

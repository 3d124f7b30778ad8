package dev.bulwark.deploy;

import static org.assertj.core.api.Assertions.assertThat;
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

  /** The six services: values key, component (resource name suffix), port, database (null: none), wiring. */
  enum Svc {
    WORKFLOW("workflowService", "workflow-service", 8081, "bulwark_workflow", Wiring.KAFKA),
    WORKER("workerAgent", "worker-agent", 8082, null, Wiring.WORKFLOW),
    BACKBONE("backboneService", "backbone-service", 8083, "bulwark_backbone", Wiring.RABBITMQ),
    RELAY("relayService", "relay-service", 8084, "bulwark_relay"),
    DISPATCHER("dispatcherService", "dispatcher-service", 8085, null, Wiring.KAFKA, Wiring.WORKFLOW),
    ORCHESTRATOR("orchestratorService", "orchestrator-service", 8086, "bulwark_orchestrator", Wiring.REDIS);

    final String key;
    final String component;
    final int port;
    final String database;
    final List<Wiring> wiring;

    Svc(String key, String component, int port, String database, Wiring... wiring) {
      this.key = key;
      this.component = component;
      this.port = port;
      this.database = database;
      this.wiring = List.of(wiring);
    }

    String resourceName() {
      return RELEASE + "-" + component;
    }
  }

  /** Infrastructure a service is wired to, and the env vars that wiring must (and alone may) set. */
  enum Wiring {
    KAFKA("KAFKA_BOOTSTRAP_SERVERS"),
    RABBITMQ("RABBITMQ_HOST", "RABBITMQ_PORT", "RABBITMQ_USERNAME", "RABBITMQ_PASSWORD"),
    REDIS("QUARKUS_REDIS_HOSTS"),
    WORKFLOW("BULWARK_WORKFLOW_URL");

    final List<String> envNames;

    Wiring(String... envNames) {
      this.envNames = List.of(envNames);
    }
  }

  static Path chart;
  private static Manifests defaults;

  @BeforeAll
  static void locateChart() throws IOException {
    chart = Path.of(System.getProperty("bulwark.helm.chart", "helm/bulwark")).toAbsolutePath();
    assertThat(chart.resolve("Chart.yaml")).as("chart directory %s", chart).exists();
    // helm-java extracts its native library under java.io.tmpdir (target/tmp in the Maven build): it must exist.
    Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir")));
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
  void defaultRenderingHasOneDeploymentAndOneServicePerServiceAndNothingElse() {
    List<String> expected = Stream.of(Svc.values()).map(Svc::resourceName).collect(Collectors.toList());
    assertThat(defaults().names("Deployment")).as("Deployments").containsExactlyInAnyOrderElementsOf(expected);
    assertThat(defaults().names("Service")).as("Services").containsExactlyInAnyOrderElementsOf(expected);
    assertThat(defaults().names("PersistentVolumeClaim")).as("volume claims")
        .containsExactly(Svc.ORCHESTRATOR.resourceName());
    assertThat(defaults().kinds()).as("kinds of rendered objects")
        .containsOnly("Deployment", "Service", "PersistentVolumeClaim");
  }

  @Test
  void orchestratorOutcomesLiveOnTheirOwnVolume() {
    Node deployment = defaults().get("Deployment", Svc.ORCHESTRATOR.resourceName());
    Node container = onlyContainer(deployment);
    assertThat(env(container)).as("outcomes directory env")
        .containsEntry("BULWARK_ORCHESTRATOR_OUTCOMES_DIRECTORY", "/var/lib/bulwark/outcomes");
    assertThat(container.list("volumeMounts").stream().map(m -> m.str("mountPath")))
        .as("orchestrator mounts").contains("/var/lib/bulwark/outcomes");
    assertThat(deployment.list("spec", "template", "spec", "volumes").stream()
        .filter(v -> v.opt("persistentVolumeClaim").isPresent())
        .map(v -> v.str("persistentVolumeClaim", "claimName")))
        .as("orchestrator claims").containsExactly(Svc.ORCHESTRATOR.resourceName());
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
    assertThat(ports).as("%s container ports", svc.resourceName()).hasSize(1);
    assertThat(ports.get(0).str("name")).as("%s port name", svc.resourceName()).isEqualTo("http");
    assertThat(ports.get(0).integer("containerPort")).as("%s containerPort", svc.resourceName()).isEqualTo(svc.port);
    assertThat(env(container)).as("%s env QUARKUS_HTTP_PORT", svc.resourceName())
        .containsEntry("QUARKUS_HTTP_PORT", String.valueOf(svc.port));

    assertProbe(svc, container, "livenessProbe", "/q/health/live");
    assertProbe(svc, container, "readinessProbe", "/q/health/ready");

    for (String bound : List.of("requests", "limits")) {
      for (String resource : List.of("cpu", "memory")) {
        assertThat(container.opt("resources", bound, resource))
            .as("%s resources.%s.%s", svc.resourceName(), bound, resource)
            .hasValueSatisfying(v -> assertThat(v.toString()).isNotBlank());
      }
    }

    Node security = container.node("securityContext");
    assertThat(security.bool("runAsNonRoot")).as("%s securityContext.runAsNonRoot", svc.resourceName()).isTrue();
    assertThat(security.bool("readOnlyRootFilesystem"))
        .as("%s securityContext.readOnlyRootFilesystem", svc.resourceName()).isTrue();
    assertThat(security.bool("allowPrivilegeEscalation"))
        .as("%s securityContext.allowPrivilegeEscalation", svc.resourceName()).isFalse();
    assertThat(security.opt("capabilities", "drop")).as("%s securityContext.capabilities.drop", svc.resourceName())
        .hasValueSatisfying(drop -> assertThat(drop).isEqualTo(List.of("ALL")));
    assertThat(deployment.bool("spec", "template", "spec", "securityContext", "runAsNonRoot"))
        .as("%s pod securityContext.runAsNonRoot", svc.resourceName()).isTrue();

    // A read-only root filesystem needs a writable /tmp: an emptyDir volume mounted there.
    String tmpVolume = container.list("volumeMounts").stream()
        .filter(m -> "/tmp".equals(m.str("mountPath"))).map(m -> m.str("name")).findFirst()
        .orElseGet(() -> fail("%s mounts nothing at /tmp: %s", svc.resourceName(), container.opt("volumeMounts")));
    Node volume = deployment.list("spec", "template", "spec", "volumes").stream()
        .filter(v -> tmpVolume.equals(v.str("name"))).findFirst()
        .orElseGet(() -> fail("%s has no volume named %s", svc.resourceName(), tmpVolume));
    assertThat(volume.opt("emptyDir")).as("%s volume %s is an emptyDir", svc.resourceName(), tmpVolume).isPresent();

    assertThat(deployment.map("spec", "selector", "matchLabels"))
        .as("%s selector", svc.resourceName())
        .containsEntry("app.kubernetes.io/name", "bulwark")
        .containsEntry("app.kubernetes.io/instance", RELEASE)
        .containsEntry("app.kubernetes.io/component", svc.component);
    assertThat(deployment.map("spec", "template", "metadata", "labels"))
        .as("%s pod labels", svc.resourceName())
        .containsAllEntriesOf(deployment.map("spec", "selector", "matchLabels"))
        .containsEntry("app.kubernetes.io/part-of", "bulwark");
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Svc.class)
  void serviceExposesThePortAndSelectsTheDeploymentPods(Svc svc) {
    Node service = defaults().get("Service", svc.resourceName());
    List<Node> ports = service.list("spec", "ports");
    assertThat(ports).as("%s Service ports", svc.resourceName()).hasSize(1);
    assertThat(ports.get(0).integer("port")).as("%s Service port", svc.resourceName()).isEqualTo(svc.port);
    assertThat(ports.get(0).str("targetPort")).as("%s Service targetPort", svc.resourceName()).isEqualTo("http");

    Node deployment = defaults().get("Deployment", svc.resourceName());
    assertThat(service.map("spec", "selector")).as("%s Service selector", svc.resourceName())
        .isEqualTo(deployment.map("spec", "selector", "matchLabels"));
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Svc.class)
  void datasourceEnvPointsAtTheServiceOwnDatabase(Svc svc) {
    Node container = onlyContainer(defaults().get("Deployment", svc.resourceName()));
    Map<String, Object> env = env(container);
    if (svc.database == null) {
      assertThat(env.keySet()).as("%s has no database: datasource env", svc.resourceName())
          .noneMatch(name -> name.startsWith("QUARKUS_DATASOURCE_"));
      return;
    }
    assertThat(env).as("%s datasource env", svc.resourceName())
        .containsEntry("QUARKUS_DATASOURCE_JDBC_URL", "jdbc:postgresql://bulwark-postgresql:5432/" + svc.database)
        .containsEntry("QUARKUS_DATASOURCE_USERNAME", "bulwark");
    assertSecretRef(svc, env, "QUARKUS_DATASOURCE_PASSWORD", "bulwark-postgresql", "password");
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Svc.class)
  void infrastructureAndIdentityEnvFollowTheServiceWiring(Svc svc) {
    Map<String, Object> env = env(onlyContainer(defaults().get("Deployment", svc.resourceName())));

    assertThat(env).as("%s JWT verification env", svc.resourceName())
        .containsEntry("MP_JWT_VERIFY_PUBLICKEY_LOCATION", "http://bulwark-workflow-service:8081/.well-known/jwks.json")
        .containsEntry("MP_JWT_VERIFY_ISSUER", "http://bulwark-workflow-service:8081");

    for (Wiring wiring : Wiring.values()) {
      if (svc.wiring.contains(wiring)) {
        assertThat(env).as("%s is wired to %s", svc.resourceName(), wiring).containsKeys(
            wiring.envNames.toArray(String[]::new));
      } else {
        assertThat(env).as("%s is not wired to %s", svc.resourceName(), wiring).doesNotContainKeys(
            wiring.envNames.toArray(String[]::new));
      }
    }
    if (svc.wiring.contains(Wiring.KAFKA)) {
      assertThat(env).containsEntry("KAFKA_BOOTSTRAP_SERVERS", "bulwark-kafka-bootstrap:9092");
    }
    if (svc.wiring.contains(Wiring.RABBITMQ)) {
      assertThat(env).as("%s RabbitMQ env", svc.resourceName())
          .containsEntry("RABBITMQ_HOST", "bulwark-rabbitmq")
          .containsEntry("RABBITMQ_PORT", "5672")
          .containsEntry("RABBITMQ_USERNAME", "bulwark");
      assertSecretRef(svc, env, "RABBITMQ_PASSWORD", "bulwark-rabbitmq", "password");
    }
    if (svc.wiring.contains(Wiring.REDIS)) {
      assertThat(env).containsEntry("QUARKUS_REDIS_HOSTS", "redis://bulwark-redis:6379");
    }
    if (svc.wiring.contains(Wiring.WORKFLOW)) {
      assertThat(env).containsEntry("BULWARK_WORKFLOW_URL", "http://bulwark-workflow-service:8081");
    }
  }

  @Test
  void defaultIssuerUrlsNameTheRenderedWorkflowService() {
    Node service = defaults().get("Service", Svc.WORKFLOW.resourceName());
    String hostAndPort = service.str("metadata", "name") + ":" + service.list("spec", "ports").get(0).integer("port");
    Map<String, Object> env = env(onlyContainer(defaults().get("Deployment", Svc.WORKER.resourceName())));
    assertThat(env.get("MP_JWT_VERIFY_ISSUER")).as("issuer").isEqualTo("http://" + hostAndPort);
    assertThat(env.get("BULWARK_WORKFLOW_URL")).as("workflow URL").isEqualTo("http://" + hostAndPort);
  }

  @Test
  void onlyTheIssuerGetsTheSigningKeysAndTheBootstrapAdmin() {
    Node deployment = defaults().get("Deployment", Svc.WORKFLOW.resourceName());
    Map<String, Object> env = env(onlyContainer(deployment));
    assertThat(env).as("issuer key paths")
        .containsEntry("BULWARK_ISSUER_PRIVATE_KEY", "/etc/bulwark/issuer/private.pem")
        .containsEntry("BULWARK_ISSUER_PUBLIC_KEY", "/etc/bulwark/issuer/public.pem");
    assertSecretRef(Svc.WORKFLOW, env, "BULWARK_BOOTSTRAP_ADMIN_PASSWORD", "bulwark-bootstrap-admin", "password");
    assertThat(deployment.list("spec", "template", "spec", "volumes").stream()
        .filter(v -> v.opt("secret").isPresent()).map(v -> v.str("secret", "secretName")))
        .as("secret volumes of the issuer").containsExactly("bulwark-issuer-keys");
    for (Svc svc : Svc.values()) {
      if (svc != Svc.WORKFLOW) {
        assertThat(env(onlyContainer(defaults().get("Deployment", svc.resourceName()))))
            .as("%s must not get the issuer's keys", svc.resourceName())
            .doesNotContainKeys("BULWARK_ISSUER_PRIVATE_KEY", "BULWARK_BOOTSTRAP_ADMIN_PASSWORD");
      }
    }
  }

  @Test
  void theWorkerAgentGetsItsAccountANameOfItsOwnAndTimeToFinishTasks() {
    Node deployment = defaults().get("Deployment", Svc.WORKER.resourceName());
    Map<String, Object> env = env(onlyContainer(deployment));
    assertSecretRef(Svc.WORKER, env, "BULWARK_WORKER_CLIENT_SECRET", "bulwark-worker-account", "client-secret");
    assertThat(new Node(env.get("BULWARK_WORKER_NAME"), "worker name").str("fieldRef", "fieldPath"))
        .as("worker name from the pod name").isEqualTo("metadata.name");
    assertThat(deployment.opt("spec", "template", "spec", "terminationGracePeriodSeconds"))
        .as("grace period").hasValueSatisfying(v -> assertThat(((Number) v).intValue()).isGreaterThan(30));
  }

  // --- overrides -------------------------------------------------------------------------------------------------

  @Test
  void disabledWorkerAgentRendersNeitherDeploymentNorService() {
    Manifests manifests = render(t -> t.set("workerAgent.enabled", false));
    String worker = Svc.WORKER.resourceName();
    assertThat(manifests.names("Deployment")).as("Deployments with workerAgent.enabled=false")
        .doesNotContain(worker).hasSize(Svc.values().length - 1);
    assertThat(manifests.names("Service")).as("Services with workerAgent.enabled=false")
        .doesNotContain(worker).hasSize(Svc.values().length - 1);
  }

  @Test
  void imageEnvAndInfrastructureValuesAreApplied() {
    Manifests manifests = render(t -> t
        .set("global.image.registry", "localhost:5000/")
        .set("global.image.tag", "1.2.3")
        .set("relayService.image.tag", "9.9.9")
        .set("global.postgres.host", "pg.db.svc")
        .set("global.postgres.port", 6432)
        .set("relayService.replicas", 3)
        .set("relayService.env[0].name", "BULWARK_FEATURE")
        .set("relayService.env[0].value", "on"));

    Node workflow = onlyContainer(manifests.get("Deployment", Svc.WORKFLOW.resourceName()));
    assertThat(workflow.str("image")).as("image with global registry and tag")
        .isEqualTo("localhost:5000/bulwark/workflow-service:1.2.3");

    Node relayDeployment = manifests.get("Deployment", Svc.RELAY.resourceName());
    Node relay = onlyContainer(relayDeployment);
    assertThat(relay.str("image")).as("image with the service's own tag")
        .isEqualTo("localhost:5000/bulwark/relay-service:9.9.9");
    assertThat(relayDeployment.integer("spec", "replicas")).as("relay replicas").isEqualTo(3);
    assertThat(env(relay)).as("relay env")
        .containsEntry("QUARKUS_DATASOURCE_JDBC_URL", "jdbc:postgresql://pg.db.svc:6432/bulwark_relay")
        .containsEntry("BULWARK_FEATURE", "on");
  }

  @Test
  void notesListTheServicesAndWarnWhenTheIssuerIsNotThisReleasesWorkflowService() {
    String notes = installNotes("bulwark");
    assertThat(notes).as("NOTES of release bulwark")
        .contains("http://bulwark-workflow-service.bulwark.svc:8081")
        .contains("http://bulwark-orchestrator-service.bulwark.svc:8086")
        .doesNotContain("WARNING");
    assertThat(installNotes("prod")).as("NOTES of release prod (default issuer URLs name bulwark-workflow-service)")
        .contains("prod-bulwark-workflow-service")
        .contains("WARNING: global.jwt.jwksUrl does not point at this release's workflow Service");
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
    for (String field : List.of("initialDelaySeconds", "periodSeconds", "failureThreshold")) {
      assertThat(p.opt(field)).as("%s %s.%s", svc.resourceName(), probe, field)
          .hasValueSatisfying(v -> assertThat(((Number) v).intValue()).isPositive());
    }
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

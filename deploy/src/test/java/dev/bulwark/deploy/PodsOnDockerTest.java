package dev.bulwark.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Volume;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import com.google.gson.Gson;
import com.google.gson.JsonObject;
import dev.bulwark.deploy.HelmChartTest.Manifests;
import dev.bulwark.deploy.HelmChartTest.Node;
import dev.bulwark.deploy.HelmChartTest.Svc;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The chart's pods, run the way a kubelet would run them but on the local Docker engine (no Kubernetes API server
 * can run here): the rendered Deployment's image, env (Secrets, field refs and $(VAR) expansion resolved), Secret
 * volumes as files with the kubelet's owners and modes under the pod's fsGroup, the orchestrator's volume owned by
 * the fsGroup, the pod's user and groups, the pod name as host name, a read-only root with /tmp as tmpfs, dropped
 * capabilities, resource limits, and host networking with the chart's Service names resolving to the local
 * infrastructure. Every service's pod must pass its startup and readiness probes, the suite's declared service
 * accounts must work with nothing created by hand, every pod must accept the issuer pod's tokens, and a workflow
 * must run through the workflow-service and worker-agent pods. The images are built by deploy/images/build.sh under
 * a tag of this checkout's own (its layer cache makes an unchanged service a no-op; other checkouts on the same
 * engine keep their images); without a Docker engine the test is skipped.
 */
class PodsOnDockerTest {

  static final String RELEASE = HelmChartTest.RELEASE;
  static final Gson GSON = new Gson();
  static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
  static final Path ROOT = Path.of(System.getProperty("bulwark.root", "..")).toAbsolutePath().normalize();
  /** The images' tag: one per checkout, so that two checkouts testing on one engine never run each other's code. */
  static final String TAG = "test-" + sha256(ROOT.toString()).substring(0, 12);

  static DockerClient docker;
  static Path work;
  static final List<String> databases = new ArrayList<>();
  static final List<String> containers = new ArrayList<>();

  @BeforeAll
  static void engine() throws Exception {
    HelmChartTest.locateChart();
    DockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder().build();
    docker = DockerClientImpl.getInstance(config,
        new ApacheDockerHttpClient.Builder().dockerHost(config.getDockerHost()).build());
    boolean engine;
    try {
      docker.pingCmd().exec();
      engine = true;
    } catch (RuntimeException e) {
      engine = false;
    }
    Assumptions.assumeTrue(engine, "no Docker engine at " + config.getDockerHost()
        + ": the pods cannot run here (deploy/local/infra.sh up --docker starts one)");
    work = Path.of(System.getProperty("java.io.tmpdir")).resolve("pods-" + UUID.randomUUID());
    Files.createDirectories(work);
  }

  @AfterAll
  static void cleanUp() throws Exception {
    if (docker == null) {
      return;
    }
    for (String id : containers) {
      try {
        docker.removeContainerCmd(id).withForce(true).exec();
      } catch (RuntimeException e) {
        System.err.println("could not remove container " + id + ": " + e.getMessage());
      }
    }
    for (String database : databases) {
      psql("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
    }
  }

  @Test
  void everyServicePodPassesItsProbesAndAWorkflowRunsThroughThem() throws Exception {
    long t0 = System.nanoTime();
    buildImages(Stream.of(Svc.values()).map(svc -> svc.component).toArray(String[]::new));
    System.out.printf("images built or found in %.1f s%n", (System.nanoTime() - t0) / 1e9);

    // Each service on a free port of this machine (host networking: fixed ports collide with other tests and with
    // run.sh), each database of its own, and a consumer group and topic of the dispatcher's own on the shared Kafka.
    String run = UUID.randomUUID().toString().substring(0, 8);
    Map<Svc, Integer> ports = new EnumMap<>(Svc.class);
    for (Svc svc : Svc.values()) {
      ports.put(svc, freePort());
      if (svc.database != null) {
        String database = "bulwark_deploy_" + run + "_" + svc.component.substring(0, svc.component.indexOf('-'));
        psql("CREATE DATABASE " + database);
        databases.add(database);
      }
    }
    Manifests manifests = HelmChartTest.render(t -> {
      t.set("global.image.tag", TAG)
          .set("global.postgres.host", "127.0.0.1")
          .set("global.postgres.password", "bulwark")
          .set("global.kafka.bootstrapServers", "127.0.0.1:9092")
          .set("global.rabbitmq.host", "127.0.0.1")
          .set("global.rabbitmq.user", "guest")
          .set("global.rabbitmq.password", "guest")
          .set("global.redis.hosts", "redis://127.0.0.1:6379")
          .set("dispatcherService.extraEnv[0].name", "BULWARK_DISPATCHER_GROUP_ID")
          .set("dispatcherService.extraEnv[0].value", "bulwark-deploy-test-" + run)
          .set("dispatcherService.extraEnv[1].name", "BULWARK_DISPATCHER_TOPICS")
          .set("dispatcherService.extraEnv[1].value", "bulwark-deploy-test-" + run)
          // The issuer's key is the one the chart generates (PKCS#1), as on a default install.
          .set("workflowService.managementPort", freePort());
      int database = 0;
      for (Svc svc : Svc.values()) {
        t.set(svc.key + ".port", ports.get(svc));
        if (svc.database != null) {
          t.set(svc.key + ".database", databases.get(database++));
        }
      }
      return t;
    });
    Map<String, Map<String, byte[]>> secrets = secrets(manifests);
    List<String> hosts = manifests.names("Service").stream().map(name -> name + ":127.0.0.1").toList();
    Map<Svc, Pod> pods = new EnumMap<>(Svc.class);
    for (Svc svc : Svc.values()) {
      pods.put(svc, new Pod(manifests.get("Deployment", svc.resourceName()), secrets, hosts));
    }

    Pod workflow = pods.get(Svc.WORKFLOW);
    workflow.start();
    workflow.awaitProbes();
    String base = "http://127.0.0.1:" + ports.get(Svc.WORKFLOW);
    // The suite's accounts, declared by the chart: workflow-service provisioned them from the mounted Secrets.
    for (String account : List.of("worker-agent-account", "dispatcher-account")) {
      Map<String, String> credentials = utf8(secrets.get(RELEASE + "-" + account));
      assertThat(tokenStatus(base, credentials.get("client-id"), credentials.get("client-secret")))
          .as("client_credentials grant of the declared %s (provisioned by workflow-service at start); log:%n%s",
              account, workflow.logs()).isEqualTo(200);
    }

    // The other five start together, as after `helm install` once the issuer answers.
    List<Pod> others = pods.values().stream().filter(pod -> pod != workflow).toList();
    for (Pod pod : others) {
      pod.start();
    }
    for (Pod pod : others) {
      pod.awaitProbes();
    }
    System.out.printf("six pods ready %.1f s after the test began%n", (System.nanoTime() - t0) / 1e9);

    Map<String, String> admin = utf8(secrets.get(RELEASE + "-bootstrap-admin"));
    String adminToken = token(base, Map.of("grant_type", "password", "username", admin.get("email"),
        "password", admin.get("password")));
    for (Svc svc : Svc.values()) {
      // Each pod verifies the issuer pod's token with the JWKS it fetches through the issuer's Service name.
      assertThat(json(send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ports.get(svc) + "/api/v1/info"))
          .header("Authorization", "Bearer " + adminToken).GET(), 200)).get("service").getAsString())
          .isEqualTo(svc.component);
    }

    String workflowId = json(send(HttpRequest.newBuilder(URI.create(base + "/api/v1/workflows"))
        .header("Authorization", "Bearer " + adminToken).header("Content-Type", "application/json")
        .POST(body(Map.of("name", "pods on docker " + UUID.randomUUID(), "start", "echo",
            "actions", List.of(Map.of("id", "echo", "app", "tools", "action", "echo",
                "parameters", Map.of("value", "hello from a pod"))),
            "triggers", List.of(Map.of("type", "manual"))))), 201)).get("id").getAsString();
    String executionId = json(send(HttpRequest.newBuilder(URI.create(base + "/api/v1/workflows/" + workflowId
        + "/execute")).header("Authorization", "Bearer " + adminToken).header("Content-Type", "application/json")
        .POST(body(Map.of("argument", Map.of()))), 202)).get("executionId").getAsString();
    String status = null;
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
    while (System.nanoTime() < deadline) {
      status = json(send(HttpRequest.newBuilder(URI.create(base + "/api/v1/executions/" + executionId))
          .header("Authorization", "Bearer " + adminToken).GET(), 200)).get("status").getAsString();
      if (List.of("FINISHED", "FAILED", "ABORTED").contains(status)) {
        break;
      }
      TimeUnit.MILLISECONDS.sleep(500);
    }
    assertThat(status).as("execution of the echo workflow by the worker pod; worker log:%n%s",
        pods.get(Svc.WORKER).logs()).isEqualTo("FINISHED");
    System.out.printf("PodsOnDockerTest: %.1f s in all%n", (System.nanoTime() - t0) / 1e9);
  }

  // --- a pod spec on the engine ----------------------------------------------------------------------------------

  /** One Deployment's pod, as a container. */
  final class Pod {
    final Node deployment;
    final Node spec;
    final Node container;
    final String name;
    final Map<String, Map<String, byte[]>> secrets;
    final List<String> hosts;
    String id;
    int restarts;

    Pod(Node deployment, Map<String, Map<String, byte[]>> secrets, List<String> hosts) {
      this.deployment = deployment;
      this.spec = deployment.node("spec", "template", "spec");
      this.container = HelmChartTest.onlyContainer(deployment);
      this.name = deployment.str("metadata", "name") + "-" + UUID.randomUUID().toString().substring(0, 5);
      this.secrets = secrets;
      this.hosts = hosts;
    }

    void start() throws IOException {
      int port = container.list("ports").get(0).integer("containerPort");
      assertThat(status(URI.create("http://127.0.0.1:" + port + "/"))).as("%s: port %d already answers", name, port)
          .isEqualTo(-1);
      Node security = spec.node("securityContext");
      int user = security.integer("runAsUser");
      int group = security.integer("runAsGroup");
      Integer fsGroup = security.opt("fsGroup").map(v -> ((Number) v).intValue()).orElse(null);
      Node containerSecurity = container.node("securityContext");

      Map<String, String> tmpfs = new LinkedHashMap<>();
      List<Bind> binds = new ArrayList<>();
      Map<String, Node> volumes = new LinkedHashMap<>();
      spec.list("volumes").forEach(v -> volumes.put(v.str("name"), v));
      for (Node mount : container.list("volumeMounts")) {
        Node volume = volumes.get(mount.str("name"));
        String path = mount.str("mountPath");
        if (volume.opt("emptyDir").isPresent()) {
          tmpfs.put(path, "rw,nosuid,nodev,mode=1777" + volume.opt("emptyDir", "sizeLimit")
              .map(size -> ",size=" + size.toString().replace("Mi", "m").replace("Gi", "g")).orElse(""));
        } else if (volume.opt("secret").isPresent()) {
          binds.add(new Bind(secretVolume(volume, fsGroup).toString(), new Volume(path), AccessMode.ro));
        } else if (volume.opt("persistentVolumeClaim").isPresent()) {
          binds.add(new Bind(claimVolume(volume, fsGroup).toString(), new Volume(path),
              mount.opt("readOnly").map(Boolean.TRUE::equals).orElse(false) ? AccessMode.ro : AccessMode.rw));
        } else {
          fail("%s: volume %s of a kind this test does not run", name, volume);
        }
      }
      HostConfig host = HostConfig.newHostConfig()
          .withNetworkMode("host")
          .withExtraHosts(hosts.toArray(String[]::new))
          .withReadonlyRootfs(containerSecurity.bool("readOnlyRootFilesystem"))
          .withTmpFs(tmpfs)
          .withBinds(binds)
          .withMemory(bytes(container.str("resources", "limits", "memory")))
          .withNanoCPUs(nanoCpus(container.str("resources", "limits", "cpu")));
      if (fsGroup != null) {
        host.withGroupAdd(List.of(Integer.toString(fsGroup)));
      }
      if (containerSecurity.opt("capabilities", "drop").map(d -> ((List<?>) d).contains("ALL")).orElse(false)) {
        host.withCapDrop(Capability.ALL);
      }
      if (!containerSecurity.bool("allowPrivilegeEscalation")) {
        host.withSecurityOpts(List.of("no-new-privileges"));
      }
      id = docker.createContainerCmd(container.str("image"))
          .withName(name)
          .withHostName(name)
          .withUser(user + ":" + group)
          .withEnv(env())
          .withLabels(Map.of("dev.bulwark.deploy.test", "pods-on-docker"))
          .withHostConfig(host)
          .exec().getId();
      containers.add(id);
      docker.startContainerCmd(id).exec();
    }

    /** The container's env as the kubelet resolves it, in order; a missing required Secret key fails. */
    List<String> env() {
      Map<String, String> resolved = new LinkedHashMap<>();
      for (Node var : container.list("env")) {
        String varName = var.str("name");
        if (var.opt("value").isPresent()) {
          resolved.put(varName, expand(var.str("value"), resolved));
        } else if (var.opt("valueFrom", "secretKeyRef").isPresent()) {
          Node ref = var.node("valueFrom", "secretKeyRef");
          Map<String, byte[]> secret = secrets.get(ref.str("name"));
          byte[] value = secret == null ? null : secret.get(ref.str("key"));
          if (value == null) {
            if (ref.opt("optional").map(Boolean.TRUE::equals).orElse(false)) {
              continue;
            }
            fail("%s: CreateContainerConfigError, env %s needs Secret %s key %s", name, varName, ref.str("name"),
                ref.str("key"));
          }
          resolved.put(varName, new String(value, StandardCharsets.UTF_8));
        } else if ("metadata.name".equals(var.opt("valueFrom", "fieldRef", "fieldPath").orElse(null))) {
          resolved.put(varName, name);
        } else {
          fail("%s: env %s of a kind this test does not resolve: %s", name, varName, var);
        }
      }
      return resolved.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList();
    }

    /**
     * A Secret volume as the kubelet writes it: files root-owned with defaultMode; with an fsGroup, group-owned by
     * it and made group-readable (the kubelet ORs 0440 into read-only volumes), directories setgid.
     */
    Path secretVolume(Node volume, Integer fsGroup) throws IOException {
      Node source = volume.node("secret");
      Map<String, byte[]> secret = secrets.get(source.str("secretName"));
      if (secret == null) {
        fail("%s: ContainerCreating forever, Secret %s does not exist", name, source.str("secretName"));
      }
      int mode = source.opt("defaultMode").map(v -> ((Number) v).intValue()).orElse(0644);
      if (fsGroup != null) {
        mode |= 0440;
      }
      Path dir = work.resolve(name).resolve(volume.str("name"));
      Files.createDirectories(dir);
      Map<String, String> items = new LinkedHashMap<>();
      if (source.opt("items").isPresent()) {
        source.list("items").forEach(item -> items.put(item.str("key"), item.str("path")));
      } else {
        secret.keySet().forEach(key -> items.put(key, key));
      }
      for (Map.Entry<String, String> item : items.entrySet()) {
        byte[] content = secret.get(item.getKey());
        if (content == null) {
          fail("%s: Secret %s has no key %s", name, source.str("secretName"), item.getKey());
        }
        Path file = dir.resolve(item.getValue());
        Files.write(file, content);
        own(file, fsGroup == null ? 0 : fsGroup, mode);
      }
      own(dir, fsGroup == null ? 0 : fsGroup, 0755);
      if (fsGroup != null) {
        run("chmod", "g+s", dir.toString());
      }
      return dir;
    }

    /**
     * A freshly provisioned volume as the kubelet hands it over under an fsGroup: its root directory group-owned by
     * the fsGroup, group-writable and setgid, so that files the pod creates belong to that group.
     */
    Path claimVolume(Node volume, Integer fsGroup) throws IOException {
      Path dir = work.resolve(name).resolve(volume.str("name"));
      Files.createDirectories(dir);
      own(dir, fsGroup == null ? 0 : fsGroup, fsGroup == null ? 0755 : 0775);
      if (fsGroup != null) {
        run("chmod", "g+s", dir.toString());
      }
      return dir;
    }

    void awaitProbes() throws Exception {
      int port = container.list("ports").get(0).integer("containerPort");
      for (String probe : List.of("startupProbe", "readinessProbe")) {
        Node p = container.node(probe);
        long budget = (long) p.integer("periodSeconds") * p.integer("failureThreshold");
        if ("readinessProbe".equals(probe)) {
          budget = Math.max(budget, 60);
        }
        URI uri = URI.create("http://127.0.0.1:" + port + p.str("httpGet", "path"));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(budget);
        long started = System.nanoTime();
        long backoff = 10;
        while (true) {
          if (!docker.inspectContainerCmd(id).exec().getState().getRunning()) {
            // restartPolicy Always: the kubelet starts an exited container again (back-off 10 s, doubling) while
            // the probe's budget lasts, so a start that fails on a starved machine (a connection timeout) is
            // retried, and a service that always fails still fails here, with its log.
            if (System.nanoTime() + TimeUnit.SECONDS.toNanos(backoff) > deadline) {
              fail("%s exited before passing its %s:%n%s", name, probe, logs());
            }
            System.out.printf("%s exited (code %s) before passing its %s; restarting it in %d s as the kubelet"
                + " would. Its log:%n%s%n", name, docker.inspectContainerCmd(id).exec().getState().getExitCodeLong(),
                probe, backoff, logs());
            TimeUnit.SECONDS.sleep(backoff);
            backoff *= 2;
            docker.startContainerCmd(id).exec();
            restarts++;
          }
          if (status(uri) == 200) {
            System.out.printf("%s: %s %s passed after %.1f s (%d restarts)%n", name, probe, uri.getPath(),
                (System.nanoTime() - started) / 1e9, restarts);
            break;
          }
          if (System.nanoTime() > deadline) {
            fail("%s: %s %s not passed within %d s:%n%s", name, probe, uri, budget, logs());
          }
          TimeUnit.SECONDS.sleep(1);
        }
      }
    }

    String logs() throws InterruptedException {
      StringBuilder out = new StringBuilder();
      docker.logContainerCmd(id).withStdOut(true).withStdErr(true).withTail(80)
          .exec(new ResultCallback.Adapter<Frame>() {
            @Override
            public void onNext(Frame frame) {
              out.append(new String(frame.getPayload(), StandardCharsets.UTF_8));
            }
          }).awaitCompletion(20, TimeUnit.SECONDS);
      return out.toString();
    }
  }

  // --- helpers ---------------------------------------------------------------------------------------------------

  static int freePort() {
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /**
   * Builds (or, unchanged, finds in the layer cache) the images of the given services with deploy/images/build.sh,
   * tagged {@link #TAG}.
   */
  static void buildImages(String... services) throws Exception {
    List<String> command = new ArrayList<>(List.of("bash", ROOT.resolve("deploy/images/build.sh").toString(),
        "--no-package"));
    command.addAll(List.of(services));
    Path log = Files.createTempFile(work, "build", ".log");
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().put("BULWARK_IMAGE_TAG", TAG);
    Process build = builder.start();
    assertThat(build.waitFor(30, TimeUnit.MINUTES)).as("build.sh finished").isTrue();
    String output = Files.readString(log);
    System.out.println(output);
    assertThat(build.exitValue()).as("deploy/images/build.sh exit code:%n%s", output).isZero();
  }

  static String sha256(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
          .digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static Map<String, Map<String, byte[]>> secrets(Manifests manifests) {
    Map<String, Map<String, byte[]>> secrets = new LinkedHashMap<>();
    for (String name : manifests.names("Secret")) {
      Map<String, byte[]> data = new LinkedHashMap<>();
      manifests.get("Secret", name).map("data").forEach((k, v) -> data.put(k, Base64.getDecoder()
          .decode(v.toString())));
      secrets.put(name, data);
    }
    return secrets;
  }

  static Map<String, String> utf8(Map<String, byte[]> secret) {
    Map<String, String> values = new LinkedHashMap<>();
    secret.forEach((k, v) -> values.put(k, new String(v, StandardCharsets.UTF_8)));
    return values;
  }

  /** Kubernetes' $(VAR) expansion of an env value by the variables defined before it. */
  static String expand(String value, Map<String, String> defined) {
    Matcher m = Pattern.compile("\\$\\(([A-Za-z_][A-Za-z0-9_]*)\\)").matcher(value);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String replacement = defined.getOrDefault(m.group(1), m.group(0));
      m.appendReplacement(out, Matcher.quoteReplacement(replacement));
    }
    return m.appendTail(out).toString();
  }

  static long bytes(String quantity) {
    Matcher m = Pattern.compile("([0-9]+)(Ki|Mi|Gi)?").matcher(quantity);
    assertThat(m.matches()).as("memory quantity %s", quantity).isTrue();
    long unit = switch (m.group(2) == null ? "" : m.group(2)) {
      case "Ki" -> 1024L;
      case "Mi" -> 1024L * 1024;
      case "Gi" -> 1024L * 1024 * 1024;
      default -> 1L;
    };
    return Long.parseLong(m.group(1)) * unit;
  }

  static long nanoCpus(String quantity) {
    return quantity.endsWith("m") ? Long.parseLong(quantity.substring(0, quantity.length() - 1)) * 1_000_000L
        : (long) (Double.parseDouble(quantity) * 1_000_000_000L);
  }

  static void own(Path path, int group, int mode) throws IOException {
    run("chown", "0:" + group, path.toString());
    Files.setPosixFilePermissions(path, permissions(mode));
  }

  static Set<PosixFilePermission> permissions(int mode) {
    StringBuilder text = new StringBuilder();
    String letters = "rwxrwxrwx";
    for (int bit = 8; bit >= 0; bit--) {
      text.append((mode & (1 << bit)) != 0 ? letters.charAt(8 - bit) : '-');
    }
    return new HashSet<>(PosixFilePermissions.fromString(text.toString()));
  }

  static void run(String... command) throws IOException {
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
        fail("%s failed (the kubelet's file owners need root): %s", String.join(" ", command), out);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }

  static void psql(String sql) throws IOException {
    try {
      ProcessBuilder builder = new ProcessBuilder("psql", "-X", "-w", "-h", "127.0.0.1", "-U", "bulwark",
          "-d", "bulwark_workflow", "-v", "ON_ERROR_STOP=1", "-c", sql).redirectErrorStream(true);
      builder.environment().put("PGPASSWORD", "bulwark");
      Process process = builder.start();
      String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
        fail("psql %s failed: %s", sql, out);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }

  static int status(URI uri) {
    try {
      return HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(3)).GET().build(),
          HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  static HttpRequest.BodyPublisher body(Object value) {
    return HttpRequest.BodyPublishers.ofString(GSON.toJson(value));
  }

  static String send(HttpRequest.Builder request, int expected) throws Exception {
    HttpResponse<String> response = HTTP.send(request.timeout(Duration.ofSeconds(30)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as("%s %s: %s", request.build().method(), request.build().uri(),
        response.body()).isEqualTo(expected);
    return response.body();
  }

  static JsonObject json(String text) {
    return GSON.fromJson(text, JsonObject.class);
  }

  static int tokenStatus(String base, String clientId, String clientSecret) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/auth/token"))
        .header("Content-Type", "application/json")
        .POST(body(Map.of("grant_type", "client_credentials", "client_id", clientId, "client_secret", clientSecret)))
        .build(), HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  static String token(String base, Map<String, String> grant) throws Exception {
    return json(send(HttpRequest.newBuilder(URI.create(base + "/api/v1/auth/token"))
        .header("Content-Type", "application/json").POST(body(grant)), 200)).get("access_token").getAsString();
  }
}

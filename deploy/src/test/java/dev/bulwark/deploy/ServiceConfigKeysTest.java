package dev.bulwark.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.deploy.HelmChartTest.Manifests;
import dev.bulwark.deploy.HelmChartTest.Node;
import dev.bulwark.deploy.HelmChartTest.Svc;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The chart sets the configuration keys the services actually read (checked against each service's
 * application.properties and configuration interfaces), and overrides every default that points at localhost.
 * Both mistakes went unnoticed before: the dispatcher's Redis stayed on localhost and its workflow URL was set under
 * a key it never reads.
 */
class ServiceConfigKeysTest {

  static final Path ROOT = Path.of(System.getProperty("bulwark.root", "..")).toAbsolutePath().normalize();

  /**
   * Env the chart sets that has no line in application.properties: where the service reads it (a configuration
   * interface method, or a library that takes every key under a prefix).
   */
  static final Map<String, String> READ_IN_CODE = Map.ofEntries(
      Map.entry("BULWARK_BOOTSTRAP_ADMIN_EMAIL", "workflow-service:identity/config/BootstrapConfig.java:adminEmail("),
      Map.entry("BULWARK_BOOTSTRAP_ADMIN_PASSWORD",
          "workflow-service:identity/config/BootstrapConfig.java:adminPassword("),
      Map.entry("BULWARK_ISSUER_PUBLIC_KEY", "workflow-service:identity/config/IssuerConfig.java:publicKey("),
      Map.entry("BULWARK_ISSUER_PREVIOUS_PUBLIC_KEYS",
          "workflow-service:identity/config/IssuerConfig.java:previousPublicKeys("),
      Map.entry("BULWARK_WORKFLOW_CREDENTIALS_MASTER_KEYS_K1", "workflow-service:config/EngineConfig.java:masterKeys("),
      Map.entry("BULWARK_WORKFLOW_CREDENTIALS_ACTIVE_KEY_ID", "workflow-service:config/EngineConfig.java:activeKeyId("),
      Map.entry("BULWARK_WORKER_CLIENT_ID", "worker-agent:config/WorkerConfig.java:clientId("),
      Map.entry("BULWARK_WORKER_CLIENT_SECRET", "worker-agent:config/WorkerConfig.java:clientSecret("),
      Map.entry("BULWARK_WORKER_NAME", "worker-agent:config/WorkerConfig.java:name("),
      Map.entry("BULWARK_BACKBONE_WEBHOOK_KEY", "backbone-service:config/BackboneConfig.java:key("),
      Map.entry("BULWARK_BACKBONE_DECLARED_CLIENTS__DISPATCHER__SUBJECT",
          "backbone-service:config/BackboneConfig.java:subject("),
      Map.entry("BULWARK_BACKBONE_DECLARED_CLIENTS__DISPATCHER__PUBLISH",
          "backbone-service:config/BackboneConfig.java:publish("),
      Map.entry("BULWARK_ORCHESTRATOR_JOB_KEY", "orchestrator-service:config/OrchestratorConfig.java:jobKey("),
      Map.entry("BULWARK_DISPATCHER_SUITE_CLIENT_ID", "dispatcher-service:config/DispatcherConfig.java:clientId("),
      Map.entry("BULWARK_DISPATCHER_SUITE_CLIENT_SECRET",
          "dispatcher-service:config/DispatcherConfig.java:clientSecret("));

  /** Env read by suite-common, which every service includes: where it is read there. */
  static final Map<String, String> READ_IN_SUITE_COMMON = Map.of(
      "BULWARK_REVOCATION_URL", "security/revocation/RevocationConfig.java:url(",
      "BULWARK_TRACING_OTLP_ENDPOINT", "tracing/TracingConfig.java:otlpEndpoint(");

  /** Handed whole to a library: the Kafka client takes every kafka.* key, Quarkus' Redis client its password. */
  static final List<String> LIBRARY_PREFIXES = List.of("KAFKA_SASL_", "KAFKA_SSL_", "KAFKA_SECURITY_PROTOCOL",
      "QUARKUS_REDIS_PASSWORD");

  /** Only for $(VAR) expansion inside another env value (the JAAS line). */
  static final Set<String> EXPANSION_ONLY = Set.of("BULWARK_KAFKA_SASL_PASSWORD");

  /**
   * workflow-service's provisioning of the suite's accounts (issue 15, item 4): bulwark.service-accounts.dir, read
   * once that code is on main.
   */
  static final Set<String> PROVISIONING = Set.of("BULWARK_SERVICE_ACCOUNTS_DIR");

  /** localhost defaults that are the user's to set (dispatcher's GRC API and S3, through extraEnv). */
  static final Set<String> USER_SETTINGS = Set.of("bulwark.dispatcher.grc.api-url");

  static Manifests everything;
  static Manifests defaults;

  @BeforeAll
  static void render() throws Exception {
    HelmChartTest.locateChart();
    defaults = HelmChartTest.render(t -> t);
    everything = HelmChartTest.render(t -> t.withValuesFile(KubernetesSchemaTest.values("everything-on.yaml")));
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Svc.class)
  void everyEnvTheChartSetsIsAKeyTheServiceReads(Svc svc) throws IOException {
    Properties properties = properties(svc);
    Set<String> read = new TreeSet<>();
    properties.stringPropertyNames().forEach(key -> read.add(envName(key)));
    Matcher references = Pattern.compile("\\$\\{([A-Z0-9_]+)[:}]").matcher(String.join("\n",
        properties.values().stream().map(Object::toString).toList()));
    while (references.find()) {
      read.add(references.group(1));
    }
    List<String> unread = new ArrayList<>();
    for (Manifests manifests : List.of(defaults, everything)) {
      for (String name : chartEnv(manifests, svc)) {
        if (read.contains(name) || EXPANSION_ONLY.contains(name) || PROVISIONING.contains(name)
            || LIBRARY_PREFIXES.stream().anyMatch(name::startsWith)) {
          continue;
        }
        String common = READ_IN_SUITE_COMMON.get(name);
        if (common != null) {
          String[] parts = common.split(":");
          Path source = ROOT.resolve("suite-common/src/main/java/dev/bulwark/common").resolve(parts[0]);
          assertThat(Files.readString(source)).as("suite-common reads %s in %s", name, source).contains(parts[1]);
          continue;
        }
        String where = READ_IN_CODE.get(name);
        if (where != null && where.startsWith(svc.component + ":")) {
          String[] parts = where.split(":");
          Path source = ROOT.resolve(svc.component).resolve("src/main/java/dev/bulwark")
              .resolve(packageDir(svc)).resolve(parts[1]);
          assertThat(Files.readString(source)).as("%s reads %s in %s", svc.component, name, source)
              .contains(parts[2]);
          continue;
        }
        unread.add(name);
      }
    }
    assertThat(unread).as("env the chart sets on %s that the service never reads", svc.component).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Svc.class)
  void everyLocalhostDefaultIsOverriddenByTheChart(Svc svc) throws IOException {
    Properties properties = properties(svc);
    Set<String> set = chartEnv(defaults, svc);
    List<String> missing = new ArrayList<>();
    for (String key : properties.stringPropertyNames()) {
      String value = properties.getProperty(key);
      if (key.startsWith("%") || USER_SETTINGS.contains(key) || !value.contains("localhost")) {
        continue;
      }
      // A ${ENV:default} reference is overridden by that ENV as well as by the key's own env name.
      Matcher reference = Pattern.compile("^\\$\\{([A-Z0-9_]+):").matcher(value);
      boolean overridden = set.contains(envName(key)) || (reference.find() && set.contains(reference.group(1)));
      if (!overridden) {
        missing.add(key + "=" + value);
      }
    }
    assertThat(missing).as("%s keys left pointing at localhost in the cluster", svc.component).isEmpty();
  }

  /** Quarkus' env name of a property key: upper case, every other character an underscore. */
  static String envName(String key) {
    return key.toUpperCase().replaceAll("[^A-Z0-9]", "_");
  }

  static String packageDir(Svc svc) {
    return switch (svc) {
      case WORKER -> "worker";
      default -> svc.component.replace("-service", "");
    };
  }

  static Set<String> chartEnv(Manifests manifests, Svc svc) {
    Node container = HelmChartTest.onlyContainer(manifests.get("Deployment", svc.resourceName()));
    Set<String> names = new TreeSet<>(HelmChartTest.env(container).keySet());
    names.removeAll(Set.of("TZ", "DOCKER_HOST", "API_URL")); // the user's extraEnv of everything-on.yaml
    return names;
  }

  static Properties properties(Svc svc) throws IOException {
    Properties properties = new Properties();
    try (Reader reader = Files.newBufferedReader(
        ROOT.resolve(svc.component).resolve("src/main/resources/application.properties"))) {
      properties.load(reader);
    }
    return properties;
  }
}

package dev.bulwark.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import com.google.gson.Gson;
import dev.bulwark.deploy.HelmChartTest.Manifests;
import dev.bulwark.deploy.HelmChartTest.Node;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1Ingress;
import io.kubernetes.client.openapi.models.V1NetworkPolicy;
import io.kubernetes.client.openapi.models.V1PersistentVolumeClaim;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodDisruptionBudget;
import io.kubernetes.client.openapi.models.V1Secret;
import io.kubernetes.client.openapi.models.V1Service;
import io.kubernetes.client.openapi.models.V2HorizontalPodAutoscaler;
import java.lang.reflect.InvocationTargetException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every object the chart renders, with its defaults and with every optional feature on, parsed strictly by the
 * Kubernetes OpenAPI model (client-java-api: unknown fields, missing required fields and wrong structures fail),
 * plus the enumerations that model keeps as plain strings.
 */
class KubernetesSchemaTest {

  static final Gson GSON = new Gson();

  /** apiVersion/kind to the model class whose fromJson parses it strictly. */
  static final Map<String, Class<?>> MODELS = Map.of(
      "apps/v1/Deployment", V1Deployment.class,
      "v1/Service", V1Service.class,
      "v1/Secret", V1Secret.class,
      "v1/Pod", V1Pod.class,
      "v1/PersistentVolumeClaim", V1PersistentVolumeClaim.class,
      "policy/v1/PodDisruptionBudget", V1PodDisruptionBudget.class,
      "networking.k8s.io/v1/Ingress", V1Ingress.class,
      "networking.k8s.io/v1/NetworkPolicy", V1NetworkPolicy.class,
      "autoscaling/v2/HorizontalPodAutoscaler", V2HorizontalPodAutoscaler.class);

  /** Enumerations by field name, wherever they occur. */
  static final Map<String, Set<String>> ENUMS = Map.of(
      "imagePullPolicy", Set.of("Always", "IfNotPresent", "Never"),
      "restartPolicy", Set.of("Always", "OnFailure", "Never"),
      "whenUnsatisfiable", Set.of("DoNotSchedule", "ScheduleAnyway"),
      "pathType", Set.of("Exact", "Prefix", "ImplementationSpecific"),
      "protocol", Set.of("TCP", "UDP", "SCTP"),
      "fsGroupChangePolicy", Set.of("OnRootMismatch", "Always"),
      "accessModes", Set.of("ReadWriteOnce", "ReadOnlyMany", "ReadWriteMany", "ReadWriteOncePod"),
      "policyTypes", Set.of("Ingress", "Egress"));

  @BeforeAll
  static void chart() throws Exception {
    HelmChartTest.locateChart();
  }

  @Test
  void defaultObjectsAreValidKubernetesObjects() throws Exception {
    Manifests manifests = HelmChartTest.renderWithHooks(UnaryOperator.identity());
    assertThat(manifests.kinds()).contains("Deployment", "Secret", "Pod");
    validateAll(manifests);
  }

  @Test
  void everyOptionalFeatureRendersValidKubernetesObjects() throws Exception {
    Manifests manifests = HelmChartTest.renderWithHooks(t -> t.withValuesFile(values("everything-on.yaml")));
    assertThat(manifests.kinds()).contains("Ingress", "NetworkPolicy", "HorizontalPodAutoscaler", "ServiceMonitor");
    validateAll(manifests);
  }

  @Test
  void theValidatorRejectsUnknownFieldsWrongTypesAndBadEnums() {
    Map<String, Object> deployment = Map.of("apiVersion", "apps/v1", "kind", "Deployment",
        "metadata", Map.of("name", "x"),
        "spec", Map.of("selector", Map.of(), "replicaCount", 3,
            "template", Map.of("spec", Map.of("containers", List.of(Map.of("name", "c"))))));
    assertThatThrownBy(() -> validate(new Node(deployment, "unknown field"))).hasMessageContaining("replicaCount");
    Map<String, Object> wrongType = Map.of("apiVersion", "apps/v1", "kind", "Deployment",
        "metadata", Map.of("name", "x"), "spec", Map.of("selector", Map.of(), "replicas", "three",
            "template", Map.of("spec", Map.of("containers", List.of(Map.of("name", "c"))))));
    assertThatThrownBy(() -> validate(new Node(wrongType, "wrong type"))).hasMessageContaining("three");
    Map<String, Object> badEnum = Map.of("apiVersion", "v1", "kind", "Pod", "metadata", Map.of("name", "x"),
        "spec", Map.of("containers", List.of(Map.of("name", "c", "imagePullPolicy", "Sometimes"))));
    assertThatThrownBy(() -> validate(new Node(badEnum, "bad enum"))).hasMessageContaining("Sometimes");
  }

  static Path values(String name) {
    return Path.of(System.getProperty("bulwark.test.values", "src/test/resources/values")).resolve(name)
        .toAbsolutePath();
  }

  static void validateAll(Manifests manifests) {
    List<String> problems = new ArrayList<>();
    for (Node object : manifests.objects) {
      try {
        validate(object);
      } catch (AssertionError | RuntimeException e) {
        problems.add(object.where + ": " + e.getMessage());
      }
    }
    assertThat(problems).as("objects that are not valid Kubernetes objects").isEmpty();
  }

  static void validate(Node object) {
    String type = object.str("apiVersion") + "/" + object.str("kind");
    if ("monitoring.coreos.com/v1/ServiceMonitor".equals(type)) {
      validateServiceMonitor(object);
    } else {
      Class<?> model = MODELS.get(type);
      if (model == null) {
        fail("%s: no model for %s", object.where, type);
      }
      String json = GSON.toJson(object.value);
      try {
        model.getMethod("fromJson", String.class).invoke(null, json);
      } catch (InvocationTargetException e) {
        throw new AssertionError(type + " rejected: " + e.getCause(), e.getCause());
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException(e);
      }
    }
    checkEnums(object.value, object.where);
  }

  /** The Prometheus Operator CRD is not in the Kubernetes model: the fields the chart sets, checked by hand. */
  static void validateServiceMonitor(Node monitor) {
    assertThat(monitor.map("spec").keySet()).as("%s spec fields", monitor.where)
        .isSubsetOf("selector", "endpoints", "namespaceSelector", "jobLabel");
    assertThat(monitor.map("spec", "selector")).containsOnlyKeys("matchLabels");
    for (Node endpoint : monitor.list("spec", "endpoints")) {
      assertThat(endpoint.map().keySet()).isSubsetOf("port", "path", "interval", "scheme");
      assertThat(endpoint.str("interval")).matches("[0-9]+(ms|s|m|h)");
    }
  }

  static void checkEnums(Object value, String where) {
    if (value instanceof Map<?, ?> map) {
      map.forEach((key, child) -> {
        Set<String> allowed = ENUMS.get(key.toString());
        if (allowed != null) {
          for (Object item : child instanceof List<?> list ? list : List.of(child)) {
            assertThat(allowed).as("%s.%s", where, key).contains(item.toString());
          }
        }
        checkEnums(child, where + "." + key);
      });
    } else if (value instanceof List<?> list) {
      for (int i = 0; i < list.size(); i++) {
        checkEnums(list.get(i), where + "[" + i + "]");
      }
    }
  }
}

package dev.bulwark.deploy;

import com.google.gson.Gson;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the chart's {@code lookup} calls see: the embedded Helm's {@code template} asks the API server for the Secrets
 * it keeps across upgrades (unlike the helm CLI, it does so even without a cluster). This answers those reads: the
 * discovery of the core group and GET of a Secret, "not found" unless a test put one there (an upgrade). Written to
 * the kubeconfig named by the KUBECONFIG env of the test JVM (see pom.xml).
 */
final class LookupApi {

  private static final Gson GSON = new Gson();
  private static LookupApi instance;

  /** Secrets "in the cluster": namespace/name to the Secret object. */
  final Map<String, Map<String, Object>> secrets = new ConcurrentHashMap<>();

  static synchronized LookupApi start() throws IOException {
    if (instance == null) {
      String kubeconfig = System.getenv("KUBECONFIG");
      if (kubeconfig == null || kubeconfig.isBlank() || kubeconfig.equals("/dev/null")) {
        throw new IllegalStateException("KUBECONFIG must name a file the tests may write (see deploy/pom.xml)");
      }
      LookupApi api = new LookupApi();
      HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      server.createContext("/", api::handle);
      server.setExecutor(null);
      server.start();
      Path file = Path.of(kubeconfig);
      Files.createDirectories(file.toAbsolutePath().getParent());
      Files.writeString(file, String.join("\n",
          "apiVersion: v1",
          "kind: Config",
          "clusters: [{name: lookup, cluster: {server: 'http://127.0.0.1:" + server.getAddress().getPort() + "'}}]",
          "users: [{name: lookup, user: {}}]",
          "contexts: [{name: lookup, context: {cluster: lookup, user: lookup}}]",
          "current-context: lookup", ""));
      instance = api;
    }
    return instance;
  }

  private void handle(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    Object body;
    int status = 200;
    if (path.equals("/api")) {
      body = Map.of("kind", "APIVersions", "versions", List.of("v1"));
    } else if (path.equals("/apis")) {
      body = Map.of("kind", "APIGroupList", "apiVersion", "v1", "groups", List.of());
    } else if (path.equals("/api/v1")) {
      body = Map.of("kind", "APIResourceList", "groupVersion", "v1", "resources", List.of(Map.of(
          "name", "secrets", "singularName", "secret", "namespaced", true, "kind", "Secret",
          "verbs", List.of("get", "list"))));
    } else if (path.startsWith("/api/v1/namespaces/") && path.contains("/secrets/")) {
      String[] parts = path.split("/");
      Map<String, Object> secret = secrets.get(parts[4] + "/" + parts[6]);
      if (secret != null) {
        body = secret;
      } else {
        status = 404;
        body = Map.of("kind", "Status", "apiVersion", "v1", "status", "Failure", "reason", "NotFound",
            "code", 404, "message", "secrets \"" + parts[6] + "\" not found",
            "details", Map.of("name", parts[6], "kind", "secrets"));
      }
    } else if (path.equals("/version")) {
      body = Map.of("major", "1", "minor", "33", "gitVersion", "v1.33.0");
    } else {
      status = 404;
      body = Map.of("kind", "Status", "apiVersion", "v1", "status", "Failure", "reason", "NotFound", "code", 404);
    }
    byte[] bytes = GSON.toJson(body).getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
    exchange.close();
  }
}

package dev.bulwark.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;

/**
 * What can be checked of the native-image configuration without GraalVM (none can be installed here): every class a
 * service's {@code META-INF/native-image/**}{@code /reflect-config.json} registers is on that service's runtime
 * classpath (its packaged {@code target/quarkus-app}), and every resource pattern of a {@code resource-config.json}
 * matches a file there. A renamed class after a dependency upgrade, or a typo, fails here instead of at run time
 * of a native executable. Whether the registrations are complete is not checked (that needs a native build).
 */
class NativeImageConfigTest {

  static final Path ROOT = Path.of(System.getProperty("bulwark.root", "..")).toAbsolutePath().normalize();
  static final List<String> MODULES = List.of("workflow-service", "worker-agent", "backbone-service",
      "relay-service", "dispatcher-service", "orchestrator-service");

  @Test
  void everyRegisteredClassAndResourceIsOnTheServiceClasspath() throws IOException {
    List<String> checked = new ArrayList<>();
    for (String module : MODULES) {
      Path configs = ROOT.resolve(module).resolve("src/main/resources/META-INF/native-image");
      if (!Files.isDirectory(configs)) {
        continue;
      }
      Set<String> entries = runtimeEntries(module);
      try (Stream<Path> files = Files.walk(configs)) {
        for (Path file : files.filter(Files::isRegularFile).toList()) {
          String name = file.getFileName().toString();
          JsonElement json = new Gson().fromJson(Files.readString(file), JsonElement.class);
          if (name.equals("reflect-config.json")) {
            for (JsonElement entry : json.getAsJsonArray()) {
              String type = entry.getAsJsonObject().get("name").getAsString();
              assertThat(entries).as("%s: %s registers %s", module, ROOT.relativize(file), type)
                  .contains(type.replace('.', '/') + ".class");
            }
          } else if (name.equals("resource-config.json")) {
            JsonArray includes = json.getAsJsonObject().getAsJsonObject("resources").getAsJsonArray("includes");
            for (JsonElement include : includes) {
              Pattern pattern = Pattern.compile(((JsonObject) include).get("pattern").getAsString());
              assertThat(entries.stream().anyMatch(e -> pattern.matcher(e).matches()))
                  .as("%s: %s includes %s, which matches no file of the service", module, ROOT.relativize(file),
                      pattern).isTrue();
            }
          }
          checked.add(module + ": " + name);
        }
      }
    }
    assertThat(checked).as("native-image configuration files checked")
        .contains("workflow-service: reflect-config.json", "worker-agent: reflect-config.json");
  }

  /** The file names in every jar of the packaged service (target/quarkus-app). */
  static Set<String> runtimeEntries(String module) throws IOException {
    Path app = ROOT.resolve(module).resolve("target/quarkus-app");
    assertThat(app.resolve("quarkus-run.jar")).as("%s is packaged (the reactor builds it before deploy)", module)
        .exists();
    Set<String> entries = new HashSet<>();
    try (Stream<Path> jars = Files.walk(app)) {
      for (Path jar : jars.filter(p -> p.toString().endsWith(".jar")).toList()) {
        try (ZipFile zip = new ZipFile(jar.toFile())) {
          zip.stream().map(ZipEntry::getName).forEach(entries::add);
        }
      }
    }
    return entries;
  }
}

package dev.bulwark.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The process helpers of deploy/local/common.sh, run by bash. */
class LocalScriptsTest {

  static final Path LOCAL = Path.of(System.getProperty("bulwark.deploy.local", "local")).toAbsolutePath();

  /**
   * Right after {@code nohup cmd &}, {@code $!} can still be a fork of the script whose command line is the
   * script's own: infra.sh once concluded "dockerd exited during startup" from that instant. wait_exec waits for the
   * exec, so the command-line check that follows holds every time.
   */
  @Test
  void waitExecWaitsForTheForkToBecomeTheCommand() throws Exception {
    String script = String.join("\n",
        "HERE='" + LOCAL + "'; ROOT=\"$HERE/../..\"; . \"$HERE/common.sh\"",
        "misses=0",
        "for i in $(seq 1 20); do",
        "  nohup sleep 30 >/dev/null 2>&1 </dev/null &",
        "  pid=$!",
        "  if wait_exec \"$pid\" 'sleep 30' 10 && pid_matches \"$pid\" 'sleep 30'; then :; else misses=$((misses+1)); fi",
        "  kill \"$pid\"",
        "done",
        "echo \"misses=$misses\"");
    assertThat(bash(script)).isEqualTo("misses=0");
  }

  @Test
  void waitExecReportsACommandThatEndedBeforeMatching() throws Exception {
    String script = String.join("\n",
        "HERE='" + LOCAL + "'; ROOT=\"$HERE/../..\"; . \"$HERE/common.sh\"",
        "nohup false >/dev/null 2>&1 </dev/null &",
        "pid=$!",
        "if wait_exec \"$pid\" never-this-command 5; then echo matched; else echo ended; fi");
    assertThat(bash(script)).isEqualTo("ended");
  }

  /**
   * infra.sh limits a command to the components named after it: {@code status s3} reports the S3 server alone (here
   * on a port where nothing listens, with a state directory of its own) and fails because it is down.
   */
  @Test
  void infraStatusReportsOnlyTheNamedComponent() throws Exception {
    Path state = Files.createTempDirectory("bulwark-infra-state");
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    String script = "BULWARK_LOCAL_STATE='" + state + "' BULWARK_S3_PORT=" + port + " bash '"
        + LOCAL.resolve("infra.sh") + "' status s3; echo \"rc=$?\"";
    assertThat(bash(script)).isEqualTo("s3         127.0.0.1:" + port + " down\nrc=1");
  }

  static String bash(String script) throws IOException, InterruptedException {
    Process process = new ProcessBuilder("bash", "-c", script).redirectErrorStream(true).start();
    assertThat(process.waitFor(5, TimeUnit.MINUTES)).as("bash finished").isTrue();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    assertThat(process.exitValue()).as("bash exit code, output: %s", out).isZero();
    return out;
  }
}

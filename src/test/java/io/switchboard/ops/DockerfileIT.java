package io.switchboard.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * No Docker engine runs here, so the Dockerfile is checked for what can be checked: what it copies
 * exists after the build, it runs as a non-root user, its port, health path, Payara version and
 * boot file agree with the rest of the project.
 */
class DockerfileIT {

  private final String dockerfile = read("Dockerfile");

  private static String read(String file) {
    try {
      return Files.readString(Path.of(file));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void everyCopiedPathExistsAfterTheBuild() {
    Matcher copy =
        Pattern.compile("(?m)^COPY (?:--from=build )?(?:--chown=\\S+ )?(\\S+) (\\S+)$")
            .matcher(dockerfile);
    int copies = 0;
    while (copy.find()) {
      String source = copy.group(1);
      Path path =
          source.startsWith("/src/")
              ? Path.of(source.substring("/src/".length()))
              : Path.of(source);
      assertThat(path).as("COPY %s", source).exists();
      copies++;
    }
    assertThat(copies).isGreaterThanOrEqualTo(4);
  }

  @Test
  void itRunsAsANonRootUserOnTheDocumentedPortWithReadinessAsHealth() {
    assertThat(dockerfile).containsPattern("(?m)^USER (?!root)\\w+");
    assertThat(dockerfile).contains("EXPOSE 8080").contains("\"--port\", \"8080\"");
    assertThat(dockerfile).contains("HEALTHCHECK").contains("http://127.0.0.1:8080/health/ready");
    assertThat(dockerfile).contains("SWITCHBOARD_BIND_ADDRESS=0.0.0.0");
    assertThat(read("payara-config/pre-boot-commands.txt"))
        .contains("${ENV=SWITCHBOARD_BIND_ADDRESS}");
  }

  @Test
  void itUsesThePayaraVersionOfTheBuildAndTheBootFileItCopies() {
    Matcher version =
        Pattern.compile("<payara.version>([^<]+)</payara.version>").matcher(read("pom.xml"));
    assertThat(version.find()).isTrue();
    assertThat(dockerfile).contains("FROM payara/micro:" + version.group(1) + "-jdk17");
    assertThat(dockerfile).contains("/opt/payara/config/pre-boot-commands.txt");
    assertThat(Path.of("payara-config", "pre-boot-commands.txt")).exists();
    assertThat(List.of(dockerfile.split("\n")))
        .anyMatch(l -> l.contains("/opt/payara/deployments/switchboard.war"));
    assertThat(Path.of("target", "switchboard.war")).exists();
  }
}

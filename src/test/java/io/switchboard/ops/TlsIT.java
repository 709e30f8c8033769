package io.switchboard.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.it.support.FirstText;
import io.switchboard.it.support.PayaraNode;
import io.switchboard.it.support.RedisProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;

/** payara-config's TLS setup: https:// and wss:// from a keystore, as the README describes. */
class TlsIT {

  @Test
  void theTlsBootFilesServeHttpsAndWss() throws Exception {
    Path build = Path.of(System.getProperty("switchboard.build", "target"));
    Path keystore = build.resolve("tls-test.p12");
    Files.deleteIfExists(keystore);
    Process keytool =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair",
                "-alias",
                "switchboard",
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-validity",
                "2",
                "-dname",
                "CN=localhost",
                "-ext",
                "SAN=dns:localhost,ip:127.0.0.1",
                "-storetype",
                "PKCS12",
                "-keystore",
                keystore.toString(),
                "-storepass",
                "changeit",
                "-keypass",
                "changeit")
            .inheritIO()
            .start();
    assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
    int sslPort = RedisProcess.freePort();
    Path postBoot =
        Path.of(System.getProperty("switchboard.preboot"))
            .resolveSibling("post-boot-commands-tls.txt");
    try (PayaraNode node =
        PayaraNode.start(
            "tls",
            Map.of(),
            List.of(
                "--sslport",
                Integer.toString(sslPort),
                "--postbootcommandfile",
                postBoot.toString()),
            Map.of("SWITCHBOARD_KEYSTORE", keystore.toAbsolutePath().toString()))) {
      SSLContext trustAll = SSLContext.getInstance("TLS");
      trustAll.init(null, new TrustManager[] {new TrustAll()}, null);
      HttpClient client = HttpClient.newBuilder().sslContext(trustAll).build();
      HttpResponse<String> stats =
          client.send(
              HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + sslPort + "/api/stats"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(stats.statusCode()).isEqualTo(200);
      assertThat(stats.body()).contains("\"node\":\"tls\"");
      assertThat(stats.headers().firstValue("Strict-Transport-Security"))
          .as("HSTS over https")
          .contains("max-age=31536000; includeSubDomains");
      assertThat(node.api().get("api/stats").headers().firstValue("Strict-Transport-Security"))
          .as("never over plain http")
          .isEmpty();
      assertThat(handshake(sslPort, "-tls1_3")).as("TLS 1.3").isTrue();
      assertThat(handshake(sslPort, "-tls1_2", "-cipher", "ECDHE-ECDSA-AES128-GCM-SHA256"))
          .as("TLS 1.2 with an AEAD suite")
          .isTrue();
      assertThat(handshake(sslPort, "-tls1_1", "-cipher", "DEFAULT@SECLEVEL=0"))
          .as("TLS 1.1 is refused")
          .isFalse();
      assertThat(handshake(sslPort, "-tls1", "-cipher", "DEFAULT@SECLEVEL=0"))
          .as("TLS 1.0 is refused")
          .isFalse();
      assertThat(handshake(sslPort, "-tls1_2", "-cipher", "ECDHE-ECDSA-AES128-SHA"))
          .as("a CBC suite with SHA-1 is refused")
          .isFalse();

      FirstText socket =
          FirstText.open(client, URI.create("wss://127.0.0.1:" + sslPort + "/ws/chat?user=tls"));
      assertThat(socket.await(20_000)).contains("\"type\":\"welcome\"");
      socket.socket().abort();
    }
  }

  /**
   * Whether {@code openssl s_client} completes a handshake with these options (the client allows
   * what the server must refuse, so a refusal is the server's).
   */
  private static boolean handshake(int port, String... options) throws Exception {
    List<String> command =
        new java.util.ArrayList<>(
            List.of("openssl", "s_client", "-connect", "127.0.0.1:" + port, "-brief"));
    command.addAll(List.of(options));
    Process openssl = new ProcessBuilder(command).redirectErrorStream(true).start();
    openssl.getOutputStream().close();
    String out = new String(openssl.getInputStream().readAllBytes());
    assertThat(openssl.waitFor(30, TimeUnit.SECONDS)).isTrue();
    return openssl.exitValue() == 0 && out.contains("CONNECTION ESTABLISHED");
  }

  /** Trusts the self-signed test certificate (tests only). */
  private static final class TrustAll implements X509TrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}

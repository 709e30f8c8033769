package io.switchboard.security.control;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import java.io.ByteArrayInputStream;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads verification keys as identity providers and MicroProfile JWT give them: a JWKS ({@code
 * {"keys":[...]}}), one JWK, PEM ({@code PUBLIC KEY} or {@code CERTIFICATE} blocks, one or more),
 * or the Base64 of a public key without the PEM lines. Only public RSA (2048 bits or more) and EC
 * (P-256, P-384) keys meant for signatures are kept; private parts are never accepted.
 */
public final class PublicKeys {

  /** More keys than any provider publishes; a bigger set is refused, not half read. */
  static final int MAX_KEYS = 100;

  static final int MIN_RSA_BITS = 2048;

  private static final Pattern PEM =
      Pattern.compile("-----BEGIN ([A-Z ]+)-----([^-]*)-----END \\1-----");

  private PublicKeys() {}

  /** The signature keys in {@code text}, or {@link IllegalArgumentException} saying why not. */
  public static List<JWK> parse(String text) {
    String trimmed = text.trim();
    List<JWK> keys;
    if (trimmed.startsWith("{")) {
      keys = json(trimmed);
    } else if (trimmed.contains("-----BEGIN")) {
      keys = pem(trimmed);
    } else {
      keys = List.of(fromDer(base64(trimmed), null));
    }
    if (keys.isEmpty()) {
      throw new IllegalArgumentException("no public signature key in it");
    }
    if (keys.size() > MAX_KEYS) {
      throw new IllegalArgumentException("more than " + MAX_KEYS + " keys");
    }
    return keys;
  }

  private static List<JWK> json(String text) {
    List<JWK> all;
    try {
      all = text.contains("\"keys\"") ? JWKSet.parse(text).getKeys() : List.of(JWK.parse(text));
    } catch (ParseException e) {
      throw new IllegalArgumentException("not a JWK or JWKS: " + e.getMessage());
    }
    List<JWK> kept = new ArrayList<>();
    for (JWK key : all) {
      if (key.isPrivate()) {
        throw new IllegalArgumentException("a private key (give the public keys only)");
      }
      if (usable(key)) {
        kept.add(key);
      }
    }
    return kept;
  }

  /** A key Switchboard can verify signatures with; other keys of a JWKS are passed over. */
  static boolean usable(JWK key) {
    if (key.getKeyUse() != null && !KeyUse.SIGNATURE.equals(key.getKeyUse())) {
      return false; // an encryption key
    }
    if (key instanceof RSAKey rsa) {
      return rsa.size() >= MIN_RSA_BITS;
    }
    if (key instanceof ECKey ec) {
      return Curve.P_256.equals(ec.getCurve()) || Curve.P_384.equals(ec.getCurve());
    }
    return false; // symmetric keys and OKP are not accepted from a key set
  }

  private static List<JWK> pem(String text) {
    List<JWK> keys = new ArrayList<>();
    Matcher block = PEM.matcher(text);
    while (block.find()) {
      byte[] der = base64(block.group(2));
      switch (block.group(1)) {
        case "PUBLIC KEY" -> keys.add(fromDer(der, null));
        case "CERTIFICATE" -> keys.add(fromCertificate(der));
        default ->
            throw new IllegalArgumentException(
                "a PEM '" + block.group(1) + "' block (give PUBLIC KEY or CERTIFICATE blocks)");
      }
    }
    return keys;
  }

  private static byte[] base64(String text) {
    try {
      return Base64.getMimeDecoder().decode(text.replaceAll("\\s", ""));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("neither PEM, JWK, JWKS nor Base64");
    }
  }

  private static JWK fromCertificate(byte[] der) {
    try {
      X509Certificate certificate =
          (X509Certificate)
              CertificateFactory.getInstance("X.509")
                  .generateCertificate(new ByteArrayInputStream(der));
      return fromDer(certificate.getPublicKey().getEncoded(), null);
    } catch (CertificateException e) {
      throw new IllegalArgumentException("an unreadable certificate: " + e.getMessage());
    }
  }

  private static JWK fromDer(byte[] der, String kid) {
    PublicKey key = null;
    for (String type : List.of("RSA", "EC")) {
      try {
        key = KeyFactory.getInstance(type).generatePublic(new X509EncodedKeySpec(der));
        break;
      } catch (java.security.GeneralSecurityException notThisType) {
        // try the next
      }
    }
    JWK jwk;
    if (key instanceof RSAPublicKey rsa) {
      jwk = new RSAKey.Builder(rsa).keyID(kid).build();
    } else if (key instanceof ECPublicKey ec) {
      Curve curve = Curve.forECParameterSpec(ec.getParams());
      if (curve == null) {
        throw new IllegalArgumentException("an EC key on an unsupported curve");
      }
      jwk = new ECKey.Builder(curve, ec).keyID(kid).build();
    } else {
      throw new IllegalArgumentException("not an RSA or EC public key");
    }
    if (!usable(jwk)) {
      throw new IllegalArgumentException(
          "an RSA key under " + MIN_RSA_BITS + " bits, or an EC key not on P-256 or P-384");
    }
    return jwk;
  }
}

package io.switchboard.security.control;

import com.nimbusds.jose.JWSAlgorithm;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What a user's token must satisfy besides its signature, and where its claims are read.
 *
 * @param issuer the {@code iss} every token must carry, if any
 * @param audiences when not empty, a token's {@code aud} must name one of them
 * @param clockSkew leeway for {@code exp} and {@code nbf}
 * @param publicKeyAlgorithms the asymmetric algorithms accepted from the public keys
 * @param rolesClaims the claims roles are read from, each a name or a dotted path ({@code
 *     realm_access.roles}); their union counts
 * @param roomsClaim the claim (name or dotted path) of the rooms a user may join
 */
public record TokenPolicy(
    Optional<String> issuer,
    List<String> audiences,
    Duration clockSkew,
    Set<JWSAlgorithm> publicKeyAlgorithms,
    List<String> rolesClaims,
    String roomsClaim) {

  /** Every asymmetric algorithm Switchboard verifies. */
  public static final Set<JWSAlgorithm> ASYMMETRIC =
      Set.of(
          JWSAlgorithm.RS256,
          JWSAlgorithm.RS384,
          JWSAlgorithm.RS512,
          JWSAlgorithm.PS256,
          JWSAlgorithm.ES256,
          JWSAlgorithm.ES384);

  public static final Duration DEFAULT_SKEW = Duration.ofSeconds(30);

  public TokenPolicy {
    audiences = List.copyOf(audiences);
    publicKeyAlgorithms = Set.copyOf(publicKeyAlgorithms);
    rolesClaims = List.copyOf(rolesClaims);
  }

  /** The defaults, with an issuer or none. */
  public static TokenPolicy defaults(Optional<String> issuer) {
    return new TokenPolicy(
        issuer, List.of(), DEFAULT_SKEW, ASYMMETRIC, List.of("roles", "groups"), "rooms");
  }
}

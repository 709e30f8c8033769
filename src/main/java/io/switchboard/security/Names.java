package io.switchboard.security;

import java.security.SecureRandom;
import java.util.Optional;
import java.util.regex.Pattern;

/** The rules for display names and room names of the wire contract. */
public final class Names {

  public static final int MAX_NAME_CODE_POINTS = 32;
  private static final Pattern ROOM = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
  private static final SecureRandom RANDOM = new SecureRandom();

  private Names() {}

  /** Whether {@code room} is a valid room (or topic) name. */
  public static boolean isRoom(String room) {
    return room != null && ROOM.matcher(room).matches();
  }

  /**
   * A display name from a client: empty when not given (or blank), the trimmed name when valid.
   *
   * @throws IllegalArgumentException when given but invalid
   */
  public static Optional<String> displayName(String raw) {
    if (raw == null) {
      return Optional.empty();
    }
    String name = raw.strip();
    if (name.isEmpty()) {
      return Optional.empty();
    }
    int codePoints = name.codePointCount(0, name.length());
    if (codePoints > MAX_NAME_CODE_POINTS || !name.codePoints().allMatch(Names::allowed)) {
      throw new IllegalArgumentException("Invalid user");
    }
    return Optional.of(name);
  }

  /** Letters, marks, digits, punctuation, symbols and plain spaces; nothing else. */
  private static boolean allowed(int cp) {
    switch (Character.getType(cp)) {
      case Character.UPPERCASE_LETTER,
      Character.LOWERCASE_LETTER,
      Character.TITLECASE_LETTER,
      Character.MODIFIER_LETTER,
      Character.OTHER_LETTER,
      Character.NON_SPACING_MARK,
      Character.ENCLOSING_MARK,
      Character.COMBINING_SPACING_MARK,
      Character.DECIMAL_DIGIT_NUMBER,
      Character.LETTER_NUMBER,
      Character.OTHER_NUMBER,
      Character.CONNECTOR_PUNCTUATION,
      Character.DASH_PUNCTUATION,
      Character.START_PUNCTUATION,
      Character.END_PUNCTUATION,
      Character.INITIAL_QUOTE_PUNCTUATION,
      Character.FINAL_QUOTE_PUNCTUATION,
      Character.OTHER_PUNCTUATION,
      Character.MATH_SYMBOL,
      Character.CURRENCY_SYMBOL,
      Character.MODIFIER_SYMBOL,
      Character.OTHER_SYMBOL,
      Character.SPACE_SEPARATOR:
        return true;
      default:
        return false;
    }
  }

  /** A fresh guest name, {@code guest-XXXX} with four letters or digits (1.7 million names). */
  public static String guestName() {
    String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
    StringBuilder name = new StringBuilder("guest-");
    for (int i = 0; i < 4; i++) {
      name.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
    }
    return name.toString();
  }
}

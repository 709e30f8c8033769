package io.switchboard.platform;

/** Parsing of integer query parameters with the API's rules and 400s. */
public final class QueryParams {

  private QueryParams() {}

  /** An optional non-negative integer; huge values are capped at Long.MAX_VALUE. */
  public static Long nonNegative(String name, String raw) {
    if (raw == null || raw.isEmpty()) {
      return null;
    }
    if (!raw.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw ApiException.badRequest("'" + name + "' must be a non-negative integer");
    }
    return raw.length() > 18 ? Long.MAX_VALUE : Long.parseLong(raw);
  }

  /**
   * An optional integer of at least {@code min}; above {@code max} counts as {@code max}.
   *
   * @param fallback when absent
   */
  public static int bounded(String name, String raw, int fallback, int min, int max) {
    if (raw == null || raw.isEmpty()) {
      return fallback;
    }
    String digits = raw.startsWith("-") ? raw.substring(1) : raw;
    if (digits.isEmpty() || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw ApiException.badRequest("'" + name + "' must be an integer");
    }
    if (raw.startsWith("-")) {
      throw ApiException.badRequest("'" + name + "' must be at least " + min);
    }
    long value = digits.length() > 18 ? Long.MAX_VALUE : Long.parseLong(digits);
    if (value < min) {
      throw ApiException.badRequest("'" + name + "' must be at least " + min);
    }
    return (int) Math.min(value, max);
  }
}

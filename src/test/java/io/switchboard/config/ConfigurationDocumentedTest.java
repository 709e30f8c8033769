package io.switchboard.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The defaults live in {@link Settings}; the README's configuration table and the shipped
 * properties file must say the same.
 */
class ConfigurationDocumentedTest {

  /** {@code | `key` | default | meaning |}, or {@code | `key` / `.other` | a / b | ... |}. */
  private static final Pattern ROW =
      Pattern.compile(
          "(?m)^\\| `((?:switchboard|mp)\\.[^`]+)`(?: / `\\.([^`]+)`)? \\| ([^|]+) \\|");

  private static final Map<String, String> DEFAULTS =
      new Settings(key -> Optional.empty()).defaults();

  /** key -> the default cell of its row. */
  private static Map<String, String> readmeDefaults() throws IOException {
    Map<String, String> rows = new HashMap<>();
    Matcher m = ROW.matcher(Files.readString(Path.of("README.md")));
    while (m.find()) {
      String key = m.group(1);
      String cell = m.group(3).trim();
      if (m.group(2) == null) {
        rows.put(key, cell);
      } else {
        String[] cells = cell.split(" / ");
        rows.put(key, cells[0]);
        String other = key.substring(0, key.lastIndexOf('.') + 1) + m.group(2);
        rows.put(other, cells.length > 1 ? cells[1] : cells[0]);
      }
    }
    return rows;
  }

  @Test
  void everyKeyIsInTheReadmeWithItsDefault() throws IOException {
    Map<String, String> readme = readmeDefaults();
    assertThat(readme.keySet()).as("keys in the README's table").containsAll(DEFAULTS.keySet());
    DEFAULTS.forEach(
        (key, value) ->
            assertThat(readme.get(key))
                .as("the README's default of %s", key)
                .satisfiesAnyOf(
                    cell -> assertThat(cell).isEqualTo(value),
                    cell -> assertThat(cell).startsWith(value + " ")));
  }

  @Test
  void theReadmeDocumentsNoKeyThatIsNotRead() throws IOException {
    assertThat(DEFAULTS.keySet()).containsAll(readmeDefaults().keySet());
  }

  @Test
  void theShippedPropertiesSayWhatSettingsSays() throws IOException {
    Properties shipped = new Properties();
    try (Reader in =
        Files.newBufferedReader(
            Path.of("src/main/resources/META-INF/microprofile-config.properties"))) {
      shipped.load(in);
    }
    for (String key : shipped.stringPropertyNames()) {
      if (key.startsWith("switchboard.") || key.startsWith("mp.")) {
        assertThat(shipped.getProperty(key)).as(key).isEqualTo(DEFAULTS.get(key));
      }
    }
  }
}

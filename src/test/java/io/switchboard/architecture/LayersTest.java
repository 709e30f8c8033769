package io.switchboard.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The dependencies of the compiled classes point one way: features ({@code chat}, {@code
 * notifications}, {@code ops}) over the seams ({@code connection}, {@code security}, {@code
 * broker}) over {@code config} and {@code platform}. Nothing calls up.
 */
class LayersTest {

  private static final JavaClasses CLASSES =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.switchboard");

  @Test
  void noPackageCycles() {
    slices().matching("io.switchboard.(**)").should().beFreeOfCycles().check(CLASSES);
  }

  @Test
  void platformAndConfigUseNoOtherPackage() {
    noClasses()
        .that()
        .resideInAnyPackage("io.switchboard.platform..", "io.switchboard.config..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.switchboard.broker..",
            "io.switchboard.connection..",
            "io.switchboard.security..",
            "io.switchboard.chat..",
            "io.switchboard.notifications..",
            "io.switchboard.ops..")
        .check(CLASSES);
  }

  @Test
  void theSeamsKnowNoFeature() {
    noClasses()
        .that()
        .resideInAnyPackage(
            "io.switchboard.broker..", "io.switchboard.connection..", "io.switchboard.security..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.switchboard.chat..", "io.switchboard.notifications..", "io.switchboard.ops..")
        .check(CLASSES);
  }

  @Test
  void featuresDoNotCallIntoOperations() {
    noClasses()
        .that()
        .resideInAnyPackage("io.switchboard.chat..", "io.switchboard.notifications..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.switchboard.ops..")
        .check(CLASSES);
  }

  @Test
  void onlyTheSetupKnowsTheRedisImplementation() {
    noClasses()
        .that()
        .resideOutsideOfPackages("io.switchboard.broker.redis..", "io.switchboard.broker.setup..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.switchboard.broker.redis..")
        .check(CLASSES);
  }

  @Test
  void everyPackageSaysWhatItIsFor() throws IOException {
    Path sources = Path.of("src/main/java/io/switchboard");
    try (Stream<Path> dirs = Files.walk(sources)) {
      assertThat(
              dirs.filter(Files::isDirectory)
                  .filter(LayersTest::holdsClasses)
                  .filter(d -> !Files.exists(d.resolve("package-info.java")))
                  .map(Path::toString))
          .as("packages without a package-info.java")
          .isEmpty();
    }
  }

  private static boolean holdsClasses(Path dir) {
    try (Stream<Path> files = Files.list(dir)) {
      return files.anyMatch(f -> f.toString().endsWith(".java"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

package io.switchboard.security.boundary;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Deny by default: a resource method without {@link Requires} is a defect found here. */
class EveryApiMethodDeclaresARightTest {

  @Test
  void everyResourceMethodDeclaresTheRightItNeeds() {
    List<ApiMethods.Entry> methods = ApiMethods.all();
    assertThat(methods).as("the scan finds the API").hasSizeGreaterThanOrEqualTo(8);
    assertThat(methods)
        .allSatisfy(
            entry ->
                assertThat(entry.method().getAnnotation(Requires.class))
                    .as(entry.key() + " (" + entry.method() + ") declares @Requires")
                    .isNotNull());
  }
}

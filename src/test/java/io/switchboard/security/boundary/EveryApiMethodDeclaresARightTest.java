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
                assertThat(entry.right())
                    .as(entry.key() + " (" + entry.method() + ") declares the right it needs")
                    .isNotNull());
    assertThat(methods)
        .extracting(ApiMethods.Entry::key)
        .as("the event streams' servlet routes are found too")
        .contains("GET events", "GET events/me", "GET stats/stream");
  }
}

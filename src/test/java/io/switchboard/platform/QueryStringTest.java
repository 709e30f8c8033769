package io.switchboard.platform;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class QueryStringTest {

  @Test
  void decodesUtf8AndKeepsRepeatedParameters() {
    var params = QueryString.parse("user=Zo%C3%AB+%E5%B0%8F&room=a&room=b&flag&bad=%zz");
    assertThat(QueryString.first(params, "user")).isEqualTo("Zoë 小");
    assertThat(params.get("room")).containsExactly("a", "b");
    assertThat(QueryString.first(params, "flag")).isEmpty();
    assertThat(params).doesNotContainKey("bad");
    assertThat(QueryString.parse(null)).isEmpty();
  }
}

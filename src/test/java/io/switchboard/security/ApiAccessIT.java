package io.switchboard.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.it.support.Fixtures;
import io.switchboard.it.support.Http;
import io.switchboard.it.support.PayaraNode;
import io.switchboard.it.support.SseClient;
import io.switchboard.it.support.Tokens;
import io.switchboard.security.boundary.ApiMethods;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Authorization follows the resource method that was matched: every {@code /api} method, reached
 * through every spelling of its path, with every kind of credential, answers what the contract
 * gives, never a 5xx, and nothing is published by a caller without the right.
 */
class ApiAccessIT {

  static final String API_KEY = "access-test-api-key-0123456789";
  private static final HttpClient CLIENT =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  private static PayaraNode node;

  @BeforeAll
  static void start() throws Exception {
    node =
        PayaraNode.start(
            "access",
            Map.of(
                "switchboard.auth.jwt-secret",
                Tokens.SECRET,
                "switchboard.api.key",
                API_KEY,
                // Hundreds of streams opened and dropped in seconds, from one address and a few
                // users: the caps are not what this test is about (ClientLimitsIT tests them).
                "switchboard.limits.streams-per-address",
                "0",
                "switchboard.limits.streams-per-user",
                "0",
                "switchboard.limits.publish-rate",
                "0"));
  }

  @AfterAll
  static void stop() {
    if (node != null) {
      node.close();
    }
  }

  /** How a caller presents itself. */
  enum Credential {
    NONE,
    GARBAGE,
    EXPIRED,
    USER,
    USER_IN_QUERY,
    USER_IN_QUERY_WITHOUT_EXPIRY,
    PUBLISHER,
    API_KEY
  }

  /** What a method needs, as the contract says. */
  enum Need {
    READ,
    PUBLISH,
    USER
  }

  /**
   * One resource method, called on a concrete path; {@code room} is the room it names (null for
   * none), {@code inside} whether that room is inside the tokens' {@code rooms} claim.
   */
  record Call(
      String key,
      String method,
      String path,
      String query,
      String body,
      Need need,
      boolean inside) {
    boolean roomScoped() {
      return path.contains("rooms/");
    }

    boolean stream() {
      return path.startsWith("api/events") || path.equals("api/stats/stream");
    }
  }

  private final String inside = "team-a-" + Fixtures.room();
  private final String outside = "team-b-" + Fixtures.room();
  private final String topic = Fixtures.topic();
  private final AtomicInteger serial = new AtomicInteger();

  private List<Call> calls() {
    String chat = "{\"message\":\"m\",\"user\":\"admin\"}";
    String note = "{\"topic\":\"" + topic + "\",\"data\":1}";
    return List.of(
        new Call("GET rooms", "GET", "api/rooms", "", null, Need.READ, true),
        new Call(
            "GET rooms/{room}/messages",
            "GET",
            "api/rooms/" + inside + "/messages",
            "",
            null,
            Need.READ,
            true),
        new Call(
            "GET rooms/{room}/messages",
            "GET",
            "api/rooms/" + outside + "/messages",
            "",
            null,
            Need.READ,
            false),
        new Call(
            "POST rooms/{room}/messages",
            "POST",
            "api/rooms/" + inside + "/messages",
            "",
            chat,
            Need.PUBLISH,
            true),
        new Call(
            "POST rooms/{room}/messages",
            "POST",
            "api/rooms/" + outside + "/messages",
            "",
            chat,
            Need.PUBLISH,
            false),
        new Call("POST notifications", "POST", "api/notifications", "", note, Need.PUBLISH, true),
        new Call("GET events", "GET", "api/events", "", null, Need.READ, true),
        new Call("GET events/me", "GET", "api/events/me", "user=someone", null, Need.READ, true),
        new Call("GET stats", "GET", "api/stats", "", null, Need.READ, true),
        new Call("GET stats/stream", "GET", "api/stats/stream", "", null, Need.READ, true),
        new Call("GET metrics", "GET", "api/metrics", "", null, Need.READ, true),
        new Call("POST tickets", "POST", "api/tickets", "", null, Need.USER, true),
        new Call(
            "POST users/{userId}/disconnect",
            "POST",
            "api/users/u-nobody/disconnect",
            "",
            null,
            Need.PUBLISH,
            true),
        new Call(
            "DELETE rooms/{room}/members/{userId}",
            "DELETE",
            "api/rooms/" + inside + "/members/u-nobody",
            "",
            null,
            Need.PUBLISH,
            true),
        new Call(
            "DELETE rooms/{room}/members/{userId}",
            "DELETE",
            "api/rooms/" + outside + "/members/u-nobody",
            "",
            null,
            Need.PUBLISH,
            false));
  }

  /** The status the contract gives. */
  static int expected(Call call, Credential credential) {
    switch (credential) {
      case NONE, GARBAGE, EXPIRED, USER_IN_QUERY_WITHOUT_EXPIRY:
        return 401;
      case API_KEY:
        return switch (call.need()) {
          case READ -> 200;
          case PUBLISH -> 202;
          case USER -> 403; // the key is not a user: no ticket for it
        };
      case USER_IN_QUERY:
        if (call.need() != Need.READ) {
          return 401; // publishing and tickets take credentials from the header only
        }
        return call.roomScoped() && !call.inside() ? 403 : 200;
      case USER:
        return switch (call.need()) {
          case READ -> call.roomScoped() && !call.inside() ? 403 : 200;
          case PUBLISH -> 403;
          case USER -> 200;
        };
      case PUBLISHER:
        return switch (call.need()) {
          case READ, USER -> call.roomScoped() && !call.inside() ? 403 : 200;
          case PUBLISH -> call.roomScoped() && !call.inside() ? 403 : 202;
        };
      default:
        throw new IllegalStateException("no rule for " + credential);
    }
  }

  /** Spellings of one path that routing may or may not reach the same method with. */
  static Map<String, String> spellings(String path) {
    Map<String, String> out = new LinkedHashMap<>();
    String[] segments = path.split("/");
    String last = segments[segments.length - 1];
    out.put("canonical", "/" + path);
    out.put("trailing slash", "/" + path + "/");
    out.put("matrix on the last segment", "/" + path + ";p=1");
    out.put("matrix on the first segment", "/api;p=1/" + path.substring(4));
    out.put("doubled slash in front", "//" + path);
    out.put("doubled slash inside", "/api//" + path.substring(4));
    out.put(
        "encoded slash", "/" + path.substring(0, path.length() - last.length() - 1) + "%2F" + last);
    out.put("encoded letter", "/" + path.substring(0, path.length() - 1) + "%" + hex(last));
    return out;
  }

  private static String hex(String last) {
    return Integer.toHexString(last.charAt(last.length() - 1)).toUpperCase();
  }

  private String authorization(Credential credential) {
    return switch (credential) {
      case GARBAGE -> "Bearer garbage";
      case EXPIRED -> "Bearer " + Tokens.user("u-expired").expiresInSeconds(-120).build();
      case USER -> "Bearer " + Tokens.user("u-reader").rooms("team-a-*").build();
      case PUBLISHER ->
          "Bearer " + Tokens.user("u-publisher").rooms("team-a-*").roles("publisher").build();
      case API_KEY -> "Bearer " + API_KEY;
      default -> null;
    };
  }

  private String queryCredential(Credential credential) {
    return switch (credential) {
      case USER_IN_QUERY -> "token=" + Tokens.user("u-reader").rooms("team-a-*").build();
      case USER_IN_QUERY_WITHOUT_EXPIRY ->
          "token=" + Tokens.user("u-reader").claim("exp", null).build();
      default -> "";
    };
  }

  private int send(Call call, String rawPath, Credential credential) throws Exception {
    String query = call.query();
    String extra = queryCredential(credential);
    if (!extra.isEmpty()) {
      query = query.isEmpty() ? extra : query + "&" + extra;
    }
    URI uri =
        URI.create(
            "http://127.0.0.1:" + node.port() + rawPath + (query.isEmpty() ? "" : "?" + query));
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(20));
    String authorization = authorization(credential);
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    if (call.body() != null) {
      String body = call.body().replace("\"m\"", "\"m-" + serial.incrementAndGet() + "\"");
      request.header("Content-Type", "application/json");
      request.method(call.method(), HttpRequest.BodyPublishers.ofString(body));
    } else {
      request.method(call.method(), HttpRequest.BodyPublishers.noBody());
    }
    HttpResponse<InputStream> response =
        CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
    response.body().close(); // an event stream is open: its status is all we need
    return response.statusCode();
  }

  @Test
  void everyMethodSpellingAndCredentialGetsTheContractsStatus() throws Exception {
    List<Call> calls = calls();
    Set<String> covered =
        calls.stream().map(Call::key).collect(Collectors.toCollection(TreeSet::new));
    Set<String> declared =
        ApiMethods.all().stream()
            .map(ApiMethods.Entry::key)
            .collect(Collectors.toCollection(TreeSet::new));
    assertThat(covered).as("every resource method is in this table").isEqualTo(declared);

    List<String> wrong = new ArrayList<>();
    Map<Boolean, Integer> published = new LinkedHashMap<>(Map.of(true, 0, false, 0));
    int notified = 0;
    int requests = 0;
    for (Call call : calls) {
      for (Credential credential : Credential.values()) {
        int expected = expected(call, credential);
        for (Map.Entry<String, String> spelling : spellings(call.path()).entrySet()) {
          int status = send(call, spelling.getValue(), credential);
          requests++;
          boolean canonical = spelling.getKey().equals("canonical");
          boolean success = status / 100 == 2;
          boolean acceptable =
              status == expected
                  || (!canonical && (status == 400 || status == 404 || status == 405));
          if (status >= 500 || !acceptable || (success && expected / 100 != 2)) {
            wrong.add(
                call.method()
                    + " "
                    + spelling.getValue()
                    + " ("
                    + spelling.getKey()
                    + ") as "
                    + credential
                    + ": "
                    + status
                    + ", expected "
                    + expected);
          }
          if (status == 202 && call.path().endsWith("/messages")) {
            published.merge(call.inside(), 1, Integer::sum);
          }
          if (status == 202 && call.path().equals("api/notifications")) {
            notified++;
          }
        }
      }
    }
    assertThat(wrong).as("of " + requests + " requests").isEmpty();

    Http api = node.api();
    assertThat(history(api, outside))
        .as("outside the tokens' claim only the API key published")
        .isEqualTo(published.get(false))
        .isPositive();
    assertThat(history(api, inside)).as("what was published inside").isEqualTo(published.get(true));
    try (SseClient stream =
        SseClient.open(
            node.http().resolve("api/events?topics=" + topic + "&lastEventId=0"),
            Map.of("Authorization", "Bearer " + API_KEY))) {
      assertThat(stream.drainData(Duration.ofSeconds(2)))
          .as("every notification published, and no other")
          .hasSize(notified);
    }
  }

  private static int history(Http api, String room) {
    HttpResponse<String> page =
        api.send(
            HttpRequest.newBuilder(node.http().resolve("api/rooms/" + room + "/messages?limit=500"))
                .header("Authorization", "Bearer " + API_KEY)
                .GET());
    assertThat(page.statusCode()).isEqualTo(200);
    return Http.object(page.body()).getJsonArray("messages").size();
  }

  @Test
  void aServerSideSenderNamedInTheBodyIsNeverAUser() {
    HttpResponse<String> sent =
        node.api()
            .send(
                HttpRequest.newBuilder(node.http().resolve("api/rooms/" + inside + "/messages"))
                    .header("Authorization", "Bearer " + API_KEY)
                    .header("Content-Type", "application/json")
                    .POST(
                        HttpRequest.BodyPublishers.ofString(
                            "{\"message\":\"hi\",\"user\":\"u-reader\"}")));
    assertThat(sent.statusCode()).isEqualTo(202);
    HttpResponse<String> page =
        node.api()
            .send(
                HttpRequest.newBuilder(node.http().resolve("api/rooms/" + inside + "/messages"))
                    .header("Authorization", "Bearer " + API_KEY)
                    .GET());
    var message = Http.object(page.body()).getJsonArray("messages").getJsonObject(0);
    assertThat(message.getString("user")).isEqualTo("u-reader");
    assertThat(message.getString("userId")).isEqualTo("api:u-reader");
  }

  @Test
  void listingsShowOnlyTheRoomsTheCallerMayJoin() {
    Http api = node.api();
    for (String room : List.of(inside, outside)) {
      api.send(
          HttpRequest.newBuilder(node.http().resolve("api/rooms/" + room + "/messages"))
              .header("Authorization", "Bearer " + API_KEY)
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString("{\"message\":\"listed\"}")));
    }
    String userToken = Tokens.user("u-lister").rooms("team-a-*").build();
    String asUser =
        api.send(
                HttpRequest.newBuilder(node.http().resolve("api/rooms"))
                    .header("Authorization", "Bearer " + userToken)
                    .GET())
            .body();
    assertThat(asUser).contains(inside).doesNotContain(outside).doesNotContain("team-b-");
    String asKey =
        api.send(
                HttpRequest.newBuilder(node.http().resolve("api/rooms"))
                    .header("Authorization", "Bearer " + API_KEY)
                    .GET())
            .body();
    assertThat(asKey).contains(inside).contains(outside);
  }

  @Test
  void apiPostsNeedJsonContent() {
    for (String type : new String[] {"text/plain", "application/x-www-form-urlencoded", null}) {
      HttpRequest.Builder request =
          HttpRequest.newBuilder(node.http().resolve("api/notifications"))
              .header("Authorization", "Bearer " + API_KEY)
              .POST(HttpRequest.BodyPublishers.ofString("{\"topic\":\"t\",\"data\":1}"));
      if (type != null) {
        request.header("Content-Type", type);
      }
      HttpResponse<String> response = node.api().send(request);
      assertThat(response.statusCode()).as(String.valueOf(type)).isEqualTo(415);
      assertThat(Http.object(response.body()).getString("error"))
          .isEqualTo("unsupported_media_type");
    }
    HttpResponse<String> json =
        node.api()
            .send(
                HttpRequest.newBuilder(node.http().resolve("api/notifications"))
                    .header("Authorization", "Bearer " + API_KEY)
                    .header("Content-Type", "application/json; charset=utf-8")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"topic\":\"t\",\"data\":1}")));
    assertThat(json.statusCode()).isEqualTo(202);
  }
}

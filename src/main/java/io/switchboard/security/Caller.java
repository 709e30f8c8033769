package io.switchboard.security;

import java.util.Optional;

/**
 * Who called an HTTP API method, as its access rule established: a backend holding the API key, a
 * user with a token, or (guest mode, or open publishing) nobody in particular.
 */
public sealed interface Caller {

  /** The prefix of every server-side sender's userId: no real user's id can start with it. */
  String SERVER_SENDER_PREFIX = "api:";

  /** Whether the caller may read or publish into {@code room}. */
  boolean mayUseRoom(String room);

  /** The caller's user, when it is one. */
  default Optional<Identity> identity() {
    return Optional.empty();
  }

  /** The API key: every room. */
  record ApiKey() implements Caller {
    @Override
    public boolean mayUseRoom(String room) {
      return true;
    }
  }

  /** A user's token: the rooms of its {@code rooms} claim. */
  record User(Identity user) implements Caller {
    @Override
    public boolean mayUseRoom(String room) {
      return user.mayJoin(room);
    }

    @Override
    public Optional<Identity> identity() {
      return Optional.of(user);
    }
  }

  /** No credentials where none are needed (guest mode). */
  record Anonymous() implements Caller {
    @Override
    public boolean mayUseRoom(String room) {
      return true;
    }
  }
}

package io.switchboard.security.control;

import io.switchboard.config.Settings;
import io.switchboard.platform.Workers;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Ends what a token opened when the token ends: a live connection's credential is good until its
 * {@code exp} plus the clock skew, as it would be at a new handshake. {@code expiring.seconds}
 * before {@code exp} the holder is warned, so that a client can send a newer token in time.
 */
@ApplicationScoped
public class CredentialExpiry {

  @Inject Settings settings;
  @Inject Workers workers;
  @Inject Authenticator authenticator;

  private final Clock clock = Clock.systemUTC();

  /** What to do when a watched credential nears its end, and at its end. */
  public interface Holder {
    /** {@code exp} is near: ask the client for a newer token. */
    void expiring(Instant exp);

    /** The credential is no longer good: end what it opened. */
    void expired();
  }

  /**
   * Watches a credential that expires at {@code exp}.
   *
   * @return the watch, to {@link Watch#refresh} with a newer token's expiry or to {@link
   *     Watch#cancel} when the holder ends first
   */
  public Watch watch(Instant exp, Holder holder) {
    Watch watch =
        new Watch(
            workers.scheduler(),
            holder,
            authenticator.clockSkew(),
            Duration.ofSeconds(settings.auth().expiringSeconds()),
            clock);
    watch.arm(exp);
    return watch;
  }

  /** One credential's timers; every method may be called from any thread. */
  public static final class Watch {
    private final ScheduledExecutorService scheduler;
    private final Holder holder;
    private final Duration skew;
    private final Duration lead;
    private final Clock clock;
    private Instant exp;
    private ScheduledFuture<?> warning;
    private ScheduledFuture<?> end;
    private boolean over;

    Watch(
        ScheduledExecutorService scheduler,
        Holder holder,
        Duration skew,
        Duration lead,
        Clock clock) {
      this.scheduler = scheduler;
      this.holder = holder;
      this.skew = skew;
      this.lead = lead;
      this.clock = clock;
    }

    synchronized void arm(Instant newExp) {
      exp = newExp;
      if (newExp == null || over) {
        return; // a token without exp: nothing ends it
      }
      long now = clock.millis();
      long warnIn = Math.max(0, newExp.toEpochMilli() - lead.toMillis() - now);
      long endIn = Math.max(0, newExp.toEpochMilli() + skew.toMillis() - now);
      warning = scheduler.schedule(() -> holder.expiring(newExp), warnIn, TimeUnit.MILLISECONDS);
      end = scheduler.schedule(this::fire, endIn, TimeUnit.MILLISECONDS);
    }

    private void fire() {
      synchronized (this) {
        if (over) {
          return;
        }
        over = true;
      }
      holder.expired();
    }

    /**
     * A newer token of the same user: its expiry replaces the old one.
     *
     * @return false when the credential had already ended
     */
    public synchronized boolean refresh(Instant newExp) {
      if (over) {
        return false;
      }
      stopTimers();
      arm(newExp);
      return true;
    }

    /** When the credential expires now (null: never). */
    public synchronized Instant expires() {
      return exp;
    }

    public synchronized void cancel() {
      over = true;
      stopTimers();
    }

    private void stopTimers() {
      if (warning != null) {
        warning.cancel(false);
      }
      if (end != null) {
        end.cancel(false);
      }
      warning = null;
      end = null;
    }
  }
}

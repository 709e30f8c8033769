package io.switchboard.config;

/** A configuration value Switchboard cannot run with; the message names the key. */
public class InvalidSettingException extends RuntimeException {

  public InvalidSettingException(String key, String problem) {
    super("Configuration '" + key + "' " + problem);
  }
}

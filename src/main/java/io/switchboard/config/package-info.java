/**
 * Runtime configuration: MicroProfile Config keys of the wire contract, with safe defaults in
 * {@code META-INF/microprofile-config.properties}.
 *
 * <p>Why runtime and not build time: two nodes of one cluster run the same WAR and differ only by
 * their environment ({@code SWITCHBOARD_REDIS_URL}, {@code SWITCHBOARD_NODE_ID}, ...). A bad value
 * stops the deployment with a message naming the key.
 */
package io.switchboard.config;

/**
 * The broker seam: everything nodes of one cluster share (room histories, offsets, epochs,
 * presence, notifications) behind two small interfaces, {@link io.switchboard.broker.Broker} and
 * {@link io.switchboard.broker.Presence}, whose Javadoc is the contract.
 *
 * <p>Two implementations: in memory (one node, the default) and Redis (many nodes). Both pass one
 * contract test suite. The chat and notification features never see which one runs; offsets, epochs
 * and history live behind the seam.
 *
 * <p>Why the broker may deliver out of order: making delivery ordered would need a lock across
 * storing and fanning out (in memory) or an ordered transport (Redis). Instead each node orders by
 * offset and fills gaps from history, which also recovers from a dropped Redis subscription.
 */
package io.switchboard.broker;

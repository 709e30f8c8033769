/**
 * Chat rooms over WebSocket: the contract's {@code /ws/chat} and {@code /ws/chat/{room}} endpoints
 * and the rooms API ({@code /api/rooms...}).
 *
 * <p>{@code boundary} holds the endpoints and resources, {@code control} the logic (frames in,
 * rooms and their feeds, the publish path), {@code entity} the frames of the wire contract.
 *
 * <p>May use: the seams ({@code connection}, {@code security}, {@code broker}), {@code config},
 * {@code platform}. Never {@code ops}: what happens is announced as {@link
 * io.switchboard.chat.entity.ChatActivity} events, which operations observe.
 */
package io.switchboard.chat;

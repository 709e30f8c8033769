/**
 * What chat does: reads client frames ({@code FrameReader}), admits and handles them ({@code
 * ChatService}), keeps this node's members per room ({@code Rooms}) and delivers each room's
 * messages in order ({@code RoomFeed}, on the shared {@link io.switchboard.broker.Sequencer}).
 *
 * <p>Out of scope: storing, numbering and sharing messages (the broker seam does that).
 */
package io.switchboard.chat.control;

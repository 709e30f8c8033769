/**
 * The notification endpoints: publishing ({@code POST /api/notifications}) and the event streams
 * (servlets, for the container's non-blocking output).
 */
package io.switchboard.notifications.boundary;

package io.switchboard;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/** The HTTP API lives under {@code /api}; WebSocket endpoints and pages are outside it. */
@ApplicationPath("api")
public class SwitchboardApplication extends Application {}

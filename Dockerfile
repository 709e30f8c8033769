# Switchboard on the official Payara Micro image (JDK 17).
#   docker build -t switchboard .
#   docker run -p 8080:8080 -e SWITCHBOARD_REDIS_URL=redis://redis:6379 switchboard
# Configuration: the MicroProfile Config keys as environment variables (SWITCHBOARD_...).

FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml .
RUN mvn -B -q dependency:go-offline -DexcludeGroupIds=fish.payara.extras || true
COPY src src
COPY payara-config payara-config
RUN mvn -B -q package -DskipTests -Dspotless.check.skip=true

FROM payara/micro:6.2025.10-jdk17
# The image's own user, never root.
USER payara
COPY --from=build --chown=payara:payara /src/target/switchboard.war /opt/payara/deployments/switchboard.war
COPY --chown=payara:payara payara-config/ /opt/payara/config/
# Inside a container the listener must face the network; guest mode is for trying only (see README).
ENV SWITCHBOARD_BIND_ADDRESS=0.0.0.0
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=3 \
  CMD wget -q -O /dev/null http://127.0.0.1:8080/health/ready || curl -fsS -o /dev/null http://127.0.0.1:8080/health/ready || exit 1
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-jar", "/opt/payara/payara-micro.jar", \
  "--deploy", "/opt/payara/deployments/switchboard.war", "--contextroot", "/", "--port", "8080", \
  "--nohazelcast", "--prebootcommandfile", "/opt/payara/config/pre-boot-commands.txt"]

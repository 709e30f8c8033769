#!/usr/bin/env bash
# Makes a self-signed PKCS12 keystore for trying TLS: payara-config/switchboard.p12 for localhost.
# Production: use a certificate from your CA (keytool -importkeystore from its PKCS12).
set -euo pipefail
out="${1:-$(dirname "$0")/switchboard.p12}"
keytool -genkeypair -alias switchboard -keyalg EC -groupname secp256r1 -validity 365 \
  -dname "CN=localhost" -ext "SAN=dns:localhost,ip:127.0.0.1" \
  -storetype PKCS12 -keystore "$out" -storepass changeit -keypass changeit
echo "Keystore: $out (password changeit). Start with:"
echo "  SWITCHBOARD_KEYSTORE=$out SWITCHBOARD_BIND_ADDRESS=127.0.0.1 java -jar target/payara-micro-*.jar \\"
echo "    --deploy target/switchboard.war --contextroot / --port 8080 --sslport 8443 --nohazelcast \\"
echo "    --prebootcommandfile payara-config/pre-boot-commands.txt \\"
echo "    --postbootcommandfile payara-config/post-boot-commands-tls.txt"

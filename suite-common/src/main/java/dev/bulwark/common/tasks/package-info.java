/**
 * The task protocol between workflow-service (which serves it) and worker-agent (which calls it): claim, heartbeat,
 * result (one, or several in one call). Both sides compile against these records, so a field one side adds or
 * renames is a build error on the other; {@code TaskProtocolContractTest} in each module checks the wire form against
 * the real server.
 */
package dev.bulwark.common.tasks;

package dev.bulwark.common.security;

/** Role names carried in the {@code groups} claim of the suite's tokens. */
public final class Roles {

    /** Organisation administrator: everything a user can do, plus members, keys and service accounts. */
    public static final String ADMIN = "admin";
    /** Changes workflows, apps and executions of its organisation. */
    public static final String USER = "user";
    /** Reads what a user can read and change. */
    public static final String READER = "reader";
    /** Service role of worker agents claiming tasks. */
    public static final String WORKER = "worker";
    /** Service role of the dispatcher calling suite services. */
    public static final String DISPATCHER = "dispatcher";
    /** Service role of a registered backbone client. */
    public static final String BACKBONE_CLIENT = "backbone-client";
    /** Service role of a Threat Response client of the relay. */
    public static final String RELAY_CLIENT = "relay-client";
    /** App code of one running task, with an execution token (claim {@code exec}) for its own execution only. */
    public static final String EXECUTION = "execution";

    private Roles() {
    }
}

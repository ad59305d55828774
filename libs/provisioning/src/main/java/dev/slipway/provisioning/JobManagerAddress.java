package dev.slipway.provisioning;

/** Where a cluster's TaskManagers and clients reach its JobManager. */
public record JobManagerAddress(String host, int rpcPort, int restPort) {

    public static final int DEFAULT_RPC_PORT = 6123;
    public static final int DEFAULT_REST_PORT = 8081;

    public String restUrl() {
        return "http://" + host + ":" + restPort;
    }
}

package dev.slipway.indexer.rest;

import dev.slipway.indexer.config.IndexerConfig;
import dev.slipway.indexer.messaging.IndexerRuntime;
import dev.slipway.rest.access.ClusterReadAccess;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** The one check of who reads which cluster's logs, metrics and events; made at start, so a wrong operator token stops it. */
public class ReadAccessProducer {

    @Produces
    @Singleton
    @Startup
    ClusterReadAccess readAccess(IndexerConfig config, IndexerRuntime runtime) {
        return new ClusterReadAccess(config.clusterTokenSecret(), runtime.credentials(), config.operatorToken());
    }
}

package io.cairn.server.cluster;

import io.cairn.chunk.ChunkStore;
import io.cairn.cluster.Heartbeat;
import io.cairn.cluster.HeartbeatReply;
import io.cairn.cluster.PeerClient;
import io.cairn.common.CairnException;
import io.cairn.meta.MetaStore;
import io.cairn.server.metrics.Metrics;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reports this node's load to the leader once per interval and adopts the leader's load table in
 * return. When this node is the leader it feeds its own duties directly.
 */
public final class HeartbeatSender {
  private static final Logger log = LoggerFactory.getLogger(HeartbeatSender.class);

  private final MetaStore meta;
  private final ClusterMap cluster;
  private final ChunkStore store;
  private final PeerClient peers;
  private final LeaderDuties duties;
  private final Clock clock;
  private final Metrics metrics;
  private volatile boolean lastFailed;

  public HeartbeatSender(MetaStore meta, ClusterMap cluster, ChunkStore store, PeerClient peers,
      LeaderDuties duties, Clock clock, Metrics metrics) {
    this.metrics = metrics;
    this.meta = meta;
    this.cluster = cluster;
    this.store = store;
    this.peers = peers;
    this.duties = duties;
    this.clock = clock;
  }

  public void tick() {
    int leader = meta.leaderId();
    if (leader == 0) {
      return;
    }
    Heartbeat hb = new Heartbeat(meta.selfId(), store.usedBytes(), store.freeBytes(), cluster.totalInflight(),
        clock.millis());
    metrics.heartbeatChecks.inc();
    try {
      HeartbeatReply reply = leader == meta.selfId()
          ? duties.onHeartbeat(hb)
          : peers.heartbeat(cluster.node(leader).internalAddress(), hb);
      cluster.updateLoads(reply.loads());
      cluster.updateHeartbeatAges(reply.heartbeatAgeMillis(), clock.millis());
      if (lastFailed) {
        log.info("heartbeats to leader node {} are getting through again", leader);
      }
      lastFailed = false;
    } catch (CairnException e) {
      metrics.heartbeatFailures.inc();
      if (!lastFailed) {
        log.warn("heartbeat to leader node {} failed: {}", leader, e.getMessage());
      }
      lastFailed = true;
    }
  }

}

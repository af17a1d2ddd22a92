package io.cairn.meta;

import io.cairn.common.CairnException;
import io.cairn.common.ClusterView;
import io.cairn.common.ErrorCode;
import io.cairn.common.FileRecord;
import io.cairn.common.ListPage;
import io.cairn.common.ListQuery;
import io.cairn.common.Names;
import io.cairn.common.NodeInfo;
import io.cairn.common.NodeState;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Collection;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.TreeMap;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.client.retry.RequestTypeDependentRetryPolicy;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.proto.RaftProtos.RaftClientRequestProto.TypeCase;
import org.apache.ratis.proto.RaftProtos.RaftPeerRole;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.SetConfigurationRequest;
import org.apache.ratis.server.RaftConfiguration;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.retry.RetryPolicy;
import org.apache.ratis.server.DivisionInfo;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link MetaStore} on an Apache Ratis group: one RaftServer for this node, plus a RaftClient that sends
 * this node's requests to whichever peer leads. Mutations are log entries; reads are linearizable
 * read-only requests (see {@link RaftSettings}). Each call waits at most {@code requestTimeout}.
 */
public final class RatisMetaStore implements MetaStore, AccessStore {
  private static final Logger LOG = LoggerFactory.getLogger(RatisMetaStore.class);
  private static final Duration CLOSE_LIMIT = Duration.ofSeconds(20);

  private final MetaConfig config;
  private final MetaDb db;
  private final MetaStateMachine sm;
  private final RoleWatcher roles;
  private final ScheduledExecutorService watcher;
  private final RaftServer server;
  private final RaftClient client;
  private final ExecutorService calls = Executors.newVirtualThreadPerTaskExecutor();
  private volatile boolean closed;

  private RatisMetaStore(MetaConfig config, MetaDb db, MetaStateMachine sm, RoleWatcher roles, RaftServer server,
      RaftClient client) {
    this.config = config;
    this.db = db;
    this.sm = sm;
    this.roles = roles;
    this.server = server;
    this.client = client;
    this.watcher = Executors.newSingleThreadScheduledExecutor(
        Thread.ofPlatform().daemon().name("cairn-meta-roles-" + config.selfId()).factory());
    watcher.scheduleWithFixedDelay(roles::poll, 50, 50, TimeUnit.MILLISECONDS);
  }

  /** Starts this node's metadata replica and joins the group of {@code config.peers()}. */
  public static MetaStore start(MetaConfig config) {
    return start(config, p -> {});
  }

  /** As {@link #start(MetaConfig)}, letting tests adjust Ratis settings (small log segments, ...). */
  static RatisMetaStore start(MetaConfig config, Consumer<RaftProperties> tune) {
    MetaDb db = MetaDb.open(config.dir().resolve("meta-db"));
    RoleWatcher roles = new RoleWatcher(config.selfId());
    MetaStateMachine sm = new MetaStateMachine(config.selfId(), db, roles);
    roles.attach(sm::info);
    RaftServer server = null;
    try {
      RaftProperties props = RaftSettings.server(config);
      tune.accept(props);
      boolean existing = Files.isDirectory(config.dir().resolve("raft").resolve(RaftSettings.GROUP_ID.getUuid()
          .toString()));
      // With Raft state on disk, the configuration in the log (and raft-meta.conf) wins over --peers, so
      // a node restarted with its original static list still knows every node that joined or left since.
      RaftGroup initial = RaftSettings.group(config);
      if (!existing) {
        Optional<Map<Integer, String>> running = JoinProbe.runningConfiguration(config);
        if (running.isPresent()) {
          // Ratis needs this node in its own group; as a listener it never campaigns, and it takes the
          // role the leader's configuration gives it once the leader adds it.
          List<RaftPeer> members = new ArrayList<>(peers(running.get()));
          members.add(RaftPeer.newBuilder().setId(RaftSettings.peerId(config.selfId()))
              .setAddress(config.peers().get(config.selfId())).setStartupRole(RaftPeerRole.LISTENER).build());
          initial = RaftGroup.valueOf(RaftSettings.GROUP_ID, members);
        }
      }
      server = RaftServer.newBuilder()
          .setServerId(RaftSettings.peerId(config.selfId()))
          .setGroup(initial)
          .setStateMachine(sm)
          .setProperties(props)
          .setOption(existing ? RaftStorage.StartupOption.RECOVER : RaftStorage.StartupOption.FORMAT)
          .build();
      server.start();
      RaftClient client = RaftClient.newBuilder()
          .setRaftGroup(RaftSettings.group(config))
          .setProperties(RaftSettings.client(config))
          .setRetryPolicy(retryPolicy(config.requestTimeout()))
          .build();
      LOG.info("node {}: metadata replica started on {} with peers {}", config.selfId(),
          config.peers().get(config.selfId()), config.peers());
      return new RatisMetaStore(config, db, sm, roles, server, client);
    } catch (IOException | RuntimeException e) {
      if (server != null) {
        closeQuietly(server);
      }
      db.close();
      throw new CairnException(ErrorCode.UNAVAILABLE,
          "node " + config.selfId() + ": cannot start the metadata replica: " + e.getMessage(), e);
    }
  }

  /** Retry through elections and leader changes, but never past the caller's deadline. */
  private static RetryPolicy retryPolicy(Duration timeout) {
    RetryPolicy sleep = RetryPolicies.retryForeverWithSleep(RaftSettings.millis(Duration.ofMillis(100)));
    RequestTypeDependentRetryPolicy.Builder b = RequestTypeDependentRetryPolicy.newBuilder();
    for (TypeCase t : List.of(TypeCase.WRITE, TypeCase.READ, TypeCase.STALEREAD, TypeCase.WATCH)) {
      b.setRetryPolicy(t, sleep).setTimeout(t, RaftSettings.millis(timeout));
    }
    return b.build();
  }

  @Override
  public int selfId() {
    return config.selfId();
  }

  @Override
  public Optional<FileRecord> putFile(FileRecord file, boolean ifAbsent) {
    Names.checkBucket(file.bucket());
    Names.checkKey(file.key());
    var op = new MetaOp.PutFile(file, ifAbsent, System.currentTimeMillis());
    return Optional.ofNullable(write(op).expect(MetaResult.FileResult.class).file());
  }

  @Override
  public Optional<FileRecord> file(String bucket, String key) {
    return Optional.ofNullable(read(new MetaOp.GetFile(bucket, key)).expect(MetaResult.FileResult.class).file());
  }

  @Override
  public Optional<FileRecord> deleteFile(String bucket, String key) {
    var op = new MetaOp.DeleteFile(bucket, key, System.currentTimeMillis());
    return Optional.ofNullable(write(op).expect(MetaResult.FileResult.class).file());
  }

  @Override
  public ListPage list(ListQuery query) {
    return read(new MetaOp.ListFiles(query)).expect(MetaResult.Page.class).page();
  }

  @Override
  public List<BucketInfo> buckets() {
    return read(new MetaOp.Buckets()).expect(MetaResult.BucketList.class).buckets();
  }

  @Override
  public boolean createBucket(String bucket) {
    Names.checkBucket(bucket);
    return createBucket(bucket, null);
  }

  @Override
  public void deleteBucket(String bucket) {
    write(new MetaOp.DeleteBucket(bucket)).expect(MetaResult.Flag.class);
  }

  @Override
  public boolean updateReplicas(String bucket, String key, String fileId, int chunkIndex, List<Integer> replicas) {
    var op = new MetaOp.UpdateReplicas(bucket, key, fileId, chunkIndex, replicas);
    return write(op).expect(MetaResult.Flag.class).value();
  }

  @Override
  public long rewrapKeys(List<KeyRewrap> rewraps) {
    if (rewraps.isEmpty()) {
      return 0;
    }
    return write(new MetaOp.RewrapKeys(rewraps)).expect(MetaResult.Count.class).value();
  }

  @Override
  public List<ChunkDeletion> pendingDeletions(int limit) {
    return read(new MetaOp.PendingDeletions(limit)).expect(MetaResult.Deletions.class).deletions();
  }

  @Override
  public void completeDeletions(Collection<String> chunkIds) {
    if (!chunkIds.isEmpty()) {
      write(new MetaOp.CompleteDeletions(List.copyOf(chunkIds))).expect(MetaResult.Flag.class);
    }
  }

  @Override
  public Set<String> unreferenced(Collection<String> chunkIds) {
    if (chunkIds.isEmpty()) {
      return Set.of();
    }
    var ids = read(new MetaOp.Unreferenced(List.copyOf(chunkIds))).expect(MetaResult.ChunkIds.class).chunkIds();
    return new LinkedHashSet<>(ids);
  }

  @Override
  public List<ChunkLocation> locate(Collection<String> chunkIds) {
    if (chunkIds.isEmpty()) {
      return List.of();
    }
    return read(new MetaOp.Locate(List.copyOf(chunkIds))).expect(MetaResult.Locations.class).locations();
  }

  @Override
  public FileScan scanFilesLocal(String cursor, int limit) {
    return MetaQueries.scanFiles(db, cursor, limit);
  }

  @Override
  public void registerNode(NodeInfo node) {
    write(new MetaOp.RegisterNode(node)).expect(MetaResult.Flag.class);
  }

  @Override
  public void setNodeState(int nodeId, NodeState state) {
    write(new MetaOp.SetNodeState(nodeId, Objects.requireNonNull(state, "state"))).expect(MetaResult.Flag.class);
  }

  @Override
  public void removeNode(int nodeId) {
    write(new MetaOp.RemoveNode(nodeId)).expect(MetaResult.Flag.class);
  }

  @Override
  public boolean moveReplica(String bucket, String key, String fileId, int chunkIndex, int from, int to) {
    var op = new MetaOp.MoveReplica(bucket, key, fileId, chunkIndex, from, to);
    return write(op).expect(MetaResult.Flag.class).value();
  }

  @Override
  public RaftMembers raftMembers() {
    try {
      RaftConfiguration conf = server.getDivision(RaftSettings.GROUP_ID).getRaftConf();
      return new RaftMembers(addresses(conf.getCurrentPeers(RaftPeerRole.FOLLOWER)),
          addresses(conf.getCurrentPeers(RaftPeerRole.LISTENER)), !conf.getPreviousPeers().isEmpty());
    } catch (IOException | RuntimeException e) {
      return RaftMembers.UNKNOWN;
    }
  }

  private static Map<Integer, String> addresses(Collection<RaftPeer> peers) {
    Map<Integer, String> out = new TreeMap<>();
    for (RaftPeer p : peers) {
      out.put(RaftSettings.nodeId(p.getId()), p.getAddress());
    }
    return out;
  }

  /**
   * Sets the configuration through the Ratis admin API, with a client of its own: a change waits for new
   * members to catch up with the log, which may take longer than an ordinary request, and must not be
   * retried forever like one. The request is idempotent (the full target configuration), so the caller
   * simply asks again on its next round when this one fails.
   */
  @Override
  public void setRaftMembers(Map<Integer, String> voters, Map<Integer, String> listeners) {
    if (closed) {
      throw new CairnException(ErrorCode.UNAVAILABLE, "node " + selfId() + ": metadata store is closed");
    }
    RaftMembers current = raftMembers();
    RaftGroup group = RaftGroup.valueOf(RaftSettings.GROUP_ID, peers(merge(current.voters(), voters)));
    SetConfigurationRequest.Arguments args = SetConfigurationRequest.Arguments.newBuilder()
        .setServersInNewConf(peers(voters))
        .setListenersInNewConf(peers(listeners))
        .setMode(SetConfigurationRequest.Mode.SET_UNCONDITIONALLY)
        .build();
    try (RaftClient admin = RaftClient.newBuilder()
        .setRaftGroup(group)
        .setProperties(RaftSettings.admin(config))
        .setRetryPolicy(RetryPolicies.retryUpToMaximumCountWithFixedSleep(3,
            RaftSettings.millis(Duration.ofMillis(500))))
        .build()) {
      RaftClientReply reply = admin.admin().setConfiguration(args);
      if (!reply.isSuccess()) {
        throw RatisErrors.translate("SetConfiguration", reply.getException());
      }
    } catch (IOException e) {
      throw RatisErrors.translate("SetConfiguration", e);
    }
    LOG.info("node {}: Raft configuration is now voters {} listeners {}", selfId(), voters.keySet(),
        listeners.keySet());
  }

  private static Map<Integer, String> merge(Map<Integer, String> a, Map<Integer, String> b) {
    Map<Integer, String> m = new TreeMap<>(a);
    m.putAll(b);
    return m;
  }

  private static List<RaftPeer> peers(Map<Integer, String> members) {
    List<RaftPeer> out = new ArrayList<>();
    members.forEach((id, addr) -> out.add(RaftPeer.newBuilder().setId(RaftSettings.peerId(id)).setAddress(addr)
        .build()));
    return out;
  }

  @Override
  public ClusterView cluster() {
    List<NodeInfo> nodes = read(new MetaOp.Nodes()).expect(MetaResult.NodeList.class).nodes();
    return new ClusterView(leaderId(), term(), nodes);
  }

  @Override
  public List<NodeInfo> nodesLocal() {
    return MetaQueries.nodes(db);
  }

  @Override
  public int leaderId() {
    DivisionInfo info = sm.info();
    return info == null || info.getLeaderId() == null ? 0 : RaftSettings.nodeId(info.getLeaderId());
  }

  @Override
  public long term() {
    return sm.term();
  }

  @Override
  public boolean isLeader() {
    DivisionInfo info = sm.info();
    return info != null && info.isLeader();
  }

  @Override
  public AccessStore access() {
    return this;
  }

  @Override
  public boolean createBucket(String bucket, String owner) {
    Names.checkBucket(bucket);
    var op = new MetaOp.CreateBucket(bucket, System.currentTimeMillis(), owner);
    return write(op).expect(MetaResult.Flag.class).value();
  }

  @Override
  public Optional<BucketInfo> bucket(String name) {
    return Optional.ofNullable(read(new MetaOp.GetBucket(name)).expect(MetaResult.Bucket.class).bucket());
  }

  @Override
  public boolean createUser(UserAccount user, boolean onlyIfFirst) {
    return write(new MetaOp.CreateUser(user, onlyIfFirst)).expect(MetaResult.Flag.class).value();
  }

  @Override
  public void updateUser(UserAccount user) {
    write(new MetaOp.UpdateUser(user)).expect(MetaResult.Flag.class);
  }

  @Override
  public void deleteUser(String name) {
    write(new MetaOp.DeleteUser(name)).expect(MetaResult.Flag.class);
  }

  @Override
  public Optional<UserAccount> user(String name) {
    return Optional.ofNullable(read(new MetaOp.GetUser(name)).expect(MetaResult.User.class).user());
  }

  @Override
  public List<UserAccount> users() {
    return read(new MetaOp.Users()).expect(MetaResult.UserList.class).users();
  }

  @Override
  public void putToken(ApiToken token) {
    write(new MetaOp.PutToken(token)).expect(MetaResult.Flag.class);
  }

  @Override
  public boolean deleteToken(String id) {
    return write(new MetaOp.DeleteToken(id)).expect(MetaResult.Flag.class).value();
  }

  @Override
  public Optional<ApiToken> token(String id) {
    return Optional.ofNullable(read(new MetaOp.GetToken(id)).expect(MetaResult.Token.class).token());
  }

  @Override
  public void putAccessKey(AccessKey key) {
    write(new MetaOp.PutAccessKey(key)).expect(MetaResult.Flag.class);
  }

  @Override
  public boolean deleteAccessKey(String id) {
    return write(new MetaOp.DeleteAccessKey(id)).expect(MetaResult.Flag.class).value();
  }

  @Override
  public Optional<AccessKey> accessKey(String id) {
    return Optional.ofNullable(read(new MetaOp.GetAccessKey(id)).expect(MetaResult.Key.class).key());
  }

  @Override
  public Credentials credentials(String user) {
    var r = read(new MetaOp.GetCredentials(user)).expect(MetaResult.CredentialList.class);
    return new Credentials(r.tokens(), r.keys());
  }

  @Override
  public void addListener(RaftListener listener) {
    roles.addListener(Objects.requireNonNull(listener, "listener"));
  }

  /** This node's applied state, read without Raft (tests use it to see what a replica holds). */
  MetaDb localDb() {
    return db;
  }

  MetaStateMachine stateMachine() {
    return sm;
  }

  private MetaResult write(MetaOp.Mutation op) {
    return call(op, true);
  }

  private MetaResult read(MetaOp.Query op) {
    return call(op, false);
  }

  /**
   * Sends one request and waits at most requestTimeout. The Ratis call runs on a virtual thread so the
   * deadline holds even while the client is between retries; the retry policy ends that call soon after.
   */
  private MetaResult call(MetaOp op, boolean write) {
    if (closed) {
      throw new CairnException(ErrorCode.UNAVAILABLE, "node " + selfId() + ": metadata store is closed");
    }
    byte[] bytes = MetaCodec.encodeOp(op);
    if (bytes.length > RaftSettings.MAX_OP_BYTES) {
      throw new CairnException(ErrorCode.PAYLOAD_TOO_LARGE,
          "metadata request of " + bytes.length + " bytes exceeds " + RaftSettings.MAX_OP_BYTES);
    }
    Message msg = Message.valueOf(ByteString.copyFrom(bytes));
    String what = op.getClass().getSimpleName();
    Future<RaftClientReply> f = calls.submit(() -> write ? client.io().send(msg) : client.io().sendReadOnly(msg));
    RaftClientReply reply;
    try {
      reply = f.get(config.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      f.cancel(true);
      throw new CairnException(ErrorCode.TIMEOUT, what + " got no answer from the metadata cluster within "
          + config.requestTimeout().toMillis() + " ms (no leader, or a majority is unreachable)", e);
    } catch (InterruptedException e) {
      f.cancel(true);
      Thread.currentThread().interrupt();
      throw new CairnException(ErrorCode.UNAVAILABLE, what + " was interrupted", e);
    } catch (ExecutionException e) {
      throw RatisErrors.translate(what, e.getCause());
    }
    if (!reply.isSuccess()) {
      throw RatisErrors.translate(what, reply.getException());
    }
    return MetaCodec.decodeResult(reply.getMessage().getContent().toByteArray());
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    long start = System.nanoTime();
    watcher.shutdownNow();
    calls.shutdownNow();
    try {
      client.close();
    } catch (IOException | RuntimeException e) {
      LOG.warn("node {}: closing the Raft client failed", selfId(), e);
    }
    closeQuietly(server);
    db.close();
    LOG.info("node {}: metadata replica stopped in {} ms", selfId(), (System.nanoTime() - start) / 1_000_000);
  }

  /** Closes a RaftServer on a helper thread so that a stuck shutdown cannot hang the caller forever. */
  private static void closeQuietly(RaftServer server) {
    Thread t = Thread.ofPlatform().daemon().name("cairn-raft-close").start(() -> {
      try {
        server.close();
      } catch (IOException | RuntimeException e) {
        LOG.warn("closing the Raft server failed", e);
      }
    });
    try {
      if (!t.join(CLOSE_LIMIT)) {
        LOG.warn("the Raft server did not stop within {} s; leaving it behind", CLOSE_LIMIT.toSeconds());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

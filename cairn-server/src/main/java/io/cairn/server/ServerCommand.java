package io.cairn.server;

import io.cairn.common.ByteSize;
import io.cairn.server.cluster.ClusterConfig;
import io.cairn.server.cluster.RebalanceConfig;
import io.cairn.server.files.FilesConfig;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code cairn server}: runs one node in the foreground until SIGTERM/Ctrl-C. Every flag can also be set
 * in a properties file given with {@code --config} (key = flag name without dashes, e.g.
 * {@code node-id=2}); flags on the command line win.
 */
@Command(name = "server", mixinStandardHelpOptions = true, sortOptions = false, exitCodeOnInvalidInput = 1,
    description = "Run one Cairn node in the foreground.")
public final class ServerCommand implements Callable<Integer> {
  @Option(names = "--config", description = "Properties file with any of these options (key = option name).")
  Path configFile;

  @Option(names = "--node-id", required = true, description = "This node's id (1, 2, ...).")
  int nodeId;

  @Option(names = "--data-dir", required = true, description = "Directory for this node's data.")
  Path dataDir;

  @Option(names = "--bind", defaultValue = "127.0.0.1", description = "Address to bind (default ${DEFAULT-VALUE}).")
  String bind;

  @Option(names = "--advertise", description = "Address other nodes and clients use (default: --bind).")
  String advertise;

  @Option(names = "--http-port", defaultValue = "8080", description = "Public HTTP port (default ${DEFAULT-VALUE}).")
  int httpPort;

  @Option(names = "--internal-port", defaultValue = "8180",
      description = "Node-to-node port (default ${DEFAULT-VALUE}).")
  int internalPort;

  @Option(names = "--raft-port", defaultValue = "9870", description = "Raft port (default ${DEFAULT-VALUE}).")
  int raftPort;

  @Option(names = "--peers", required = true, split = ",",
      description = "The cluster's Raft peers as id=host:raftPort, comma-separated, including this node. A new "
          + "node lists the running cluster's peers plus itself and joins; once a node has Raft state, the "
          + "configuration in its log wins over this list.")
  Map<Integer, String> peers;

  @Option(names = "--master-key-file",
      description = "Cluster master key (same file on every node; created if missing). Default: <data-dir>/cluster.key")
  Path masterKeyFile;

  @Option(names = "--capacity", defaultValue = "1TiB", description = "Chunk bytes this node accepts.")
  String capacity;

  @Option(names = "--zone", defaultValue = "", description = "Failure-domain label.")
  String zone;

  @Option(names = "--chunk-size", defaultValue = "8MiB", description = "Chunk size (default ${DEFAULT-VALUE}).")
  String chunkSize;

  @Option(names = "--replication", defaultValue = "3", description = "Replicas per chunk.")
  int replication;

  @Option(names = "--write-quorum", defaultValue = "2",
      description = "Replicas that must be durable before an upload succeeds (default ${DEFAULT-VALUE}).")
  int writeQuorum;

  @Option(names = "--cache", defaultValue = "256MiB", description = "Chunk cache capacity.")
  String cache;

  @Option(names = "--inline-max", defaultValue = "4KiB",
      description = "Files up to this size live inside their metadata record (0 = never).")
  String inlineMax;

  @Option(names = "--max-upload", defaultValue = "1TiB", description = "Largest single upload.")
  String maxUpload;

  @Option(names = "--heartbeat-interval", defaultValue = "PT1S", description = "ISO-8601 duration.")
  Duration heartbeatInterval;

  @Option(names = "--chunk-timeout", defaultValue = "PT20S", description = "Longest one chunk transfer to a "
      + "peer may take before the peer counts as failed for that chunk (an 8 MiB chunk normally takes well under "
      + "1 s; a cut-off peer holds an upload this long at most).")
  Duration chunkTimeout;

  @Option(names = "--dead-after", defaultValue = "PT5S", description = "Silence before a node is declared dead.")
  Duration deadAfter;

  @Option(names = "--orphan-grace", defaultValue = "PT1H", description = "Age before an unreferenced chunk is removed.")
  Duration orphanGrace;

  @Option(names = "--sweep-interval", defaultValue = "PT5M", description = "How often to look for orphaned chunks.")
  Duration sweepInterval;

  @Option(names = "--heal-interval", defaultValue = "PT2S", description = "How often to look for lost replicas.")
  Duration healInterval;

  @Option(names = "--heal-concurrency", defaultValue = "4", description = "Chunk copies at once while healing.")
  int healConcurrency;

  @Option(names = "--heal-bandwidth", defaultValue = "200MiB", description = "Bytes per second healing may copy.")
  String healBandwidth;

  @Option(names = "--scrub-rate", defaultValue = "16MiB",
      description = "Bytes per second each node re-reads to verify its chunks (0 = off).")
  String scrubRate;

  @Option(names = "--rebalance-interval", defaultValue = "PT10S",
      description = "How often the leader compares node utilizations (default ${DEFAULT-VALUE}).")
  Duration rebalanceInterval;

  @Option(names = "--rebalance-tolerance", defaultValue = "0.05",
      description = "Relative deviation from the mean utilization tolerated before chunks move (default ${DEFAULT-VALUE}).")
  double rebalanceTolerance;

  @Option(names = "--rebalance-concurrency", defaultValue = "2",
      description = "Chunk moves at once while rebalancing (0 = no rebalancing; default ${DEFAULT-VALUE}).")
  int rebalanceConcurrency;

  @Option(names = "--rebalance-bandwidth", defaultValue = "50MiB",
      description = "Bytes per second rebalancing may copy (default ${DEFAULT-VALUE}).")
  String rebalanceBandwidth;

  @Option(names = "--election-timeout-min", defaultValue = "PT1S", description = "Raft election timeout, low.")
  Duration electionMin;

  @Option(names = "--election-timeout-max", defaultValue = "PT2S", description = "Raft election timeout, high.")
  Duration electionMax;

  @Option(names = "--s3-port", defaultValue = "9000",
      description = "S3-compatible API port (default ${DEFAULT-VALUE}; -1 = off).")
  int s3Port;

  @Option(names = "--s3-access-key", description = "S3 access key id (default: derived from the cluster key).")
  String s3AccessKey;

  @Option(names = "--s3-secret-key", description = "S3 secret access key (default: derived from the cluster key).")
  String s3SecretKey;

  @Option(names = "--s3-domain", split = ",", defaultValue = "localhost",
      description = "Domains for virtual-hosted-style S3 requests (bucket.DOMAIN; default ${DEFAULT-VALUE}).")
  java.util.List<String> s3Domains;

  @Option(names = "--s3-multipart-expiry", defaultValue = "PT24H",
      description = "Age after which unfinished S3 multipart uploads are removed (default ${DEFAULT-VALUE}).")
  Duration s3MultipartExpiry;

  @Option(names = "--auth", defaultValue = "optional",
      description = "optional: anonymous requests have full access (only allowed when bound to loopback); "
          + "required: every request must authenticate (default ${DEFAULT-VALUE}).")
  String auth;

  @Option(names = "--admin-credentials-file",
      description = "Where the first admin's password is read from (CAIRN_ADMIN_PASSWORD=...) or written to, "
          + "mode 0600. Default: <data-dir>/admin-credentials")
  Path adminCredentialsFile;

  @Option(names = "--tls-cert", paramLabel = "FILE",
      description = "Serve HTTPS on the HTTP and S3 ports with this certificate: a PEM chain (with --tls-key) or a "
          + "PKCS#12 .p12/.pfx file. Default: plain HTTP.")
  Path tlsCert;

  @Option(names = "--tls-key", paramLabel = "FILE", description = "PEM (PKCS#8) private key for a PEM --tls-cert.")
  Path tlsKey;

  @Option(names = "--tls-password", defaultValue = "${env:CAIRN_TLS_PASSWORD:-}", paramLabel = "PASSWORD",
      description = "Password of a PKCS#12 --tls-cert (default: $CAIRN_TLS_PASSWORD).")
  String tlsPassword;

  @Option(names = "--parent-pid", defaultValue = "0", hidden = true)
  long parentPid;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  NodeConfig toConfig() {
    String adv = advertise == null || advertise.isBlank() ? bind : advertise;
    Path key = masterKeyFile != null ? masterKeyFile : dataDir.resolve("cluster.key");
    FilesConfig files = new FilesConfig(ByteSize.parse(chunkSize), replication, writeQuorum, ByteSize.parse(cache),
        2, chunkTimeout, ByteSize.parse(inlineMax));
    ClusterConfig cluster = new ClusterConfig(heartbeatInterval, deadAfter, orphanGrace, sweepInterval,
        healInterval, healConcurrency, ByteSize.parse(healBandwidth).bytes(), ByteSize.parse(scrubRate).bytes(),
        new RebalanceConfig(rebalanceInterval, rebalanceTolerance, rebalanceConcurrency,
            ByteSize.parse(rebalanceBandwidth).bytes()));
    return new NodeConfig(nodeId, dataDir, bind, adv, httpPort, internalPort, raftPort, new HashMap<>(peers), key,
        ByteSize.parse(capacity), zone, ByteSize.parse(maxUpload).bytes(), electionMin, electionMax, files,
        cluster, parentPid);
  }

  @Override
  public Integer call() throws Exception {
    NodeConfig config;
    try {
      config = toConfig();
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    if (System.getProperty("cairn.node") == null) {
      System.setProperty("cairn.node", Integer.toString(config.nodeId()));
    }
    io.cairn.server.s3.S3Config s3;
    io.cairn.server.tls.TlsConfig tls;
    try {
      tls = io.cairn.server.tls.TlsConfig.fromFlags(tlsCert, tlsKey, tlsPassword);
      s3 = new io.cairn.server.s3.S3Config(s3Port, s3AccessKey, s3SecretKey, s3Domains, s3MultipartExpiry, null, tls);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    io.cairn.server.auth.AuthSettings authSettings;
    try {
      authSettings = new io.cairn.server.auth.AuthSettings(io.cairn.server.auth.AuthMode.parse(auth),
          adminCredentialsFile != null ? adminCredentialsFile : dataDir.resolve("admin-credentials"));
      authSettings.checkBind(config.bindHost());
    } catch (IllegalArgumentException | io.cairn.common.CairnException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    Node node = Node.start(config, s3, authSettings, tls);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      node.close();
      stopped.countDown();
    }, "cairn-shutdown"));
    if (config.parentPid() > 0) {
      ProcessHandle.of(config.parentPid()).ifPresentOrElse(
          parent -> parent.onExit().thenRun(() -> System.exit(0)), () -> System.exit(0));
    }
    stopped.await();
    return 0;
  }

  /** Applies a --config file as default values, so command-line flags still win. */
  static String[] withConfigFile(String[] args) throws IOException {
    for (int i = 0; i < args.length - 1; i++) {
      if (args[i].equals("--config")) {
        Properties props = new Properties();
        try (Reader r = Files.newBufferedReader(Path.of(args[i + 1]))) {
          props.load(r);
        }
        java.util.List<String> merged = new java.util.ArrayList<>();
        for (String name : props.stringPropertyNames()) {
          String flag = "--" + name;
          if (!java.util.Arrays.asList(args).contains(flag)) {
            merged.add(flag);
            merged.add(props.getProperty(name).trim());
          }
        }
        merged.addAll(java.util.Arrays.asList(args));
        return merged.toArray(String[]::new);
      }
    }
    return args;
  }
}

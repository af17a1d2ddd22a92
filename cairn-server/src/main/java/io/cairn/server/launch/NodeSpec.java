package io.cairn.server.launch;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;

/**
 * How to start one node of a local cluster as its own process: ports, directories and extra flags.
 *
 * @param nodeId node id
 * @param host address to bind and advertise (127.0.0.1 for local clusters)
 * @param httpPort public HTTP port
 * @param internalPort internal port
 * @param raftPort Raft port
 * @param dataDir the node's own data directory
 * @param masterKeyFile the cluster key shared by all nodes
 * @param peers id -> host:raftPort of every voter
 * @param heap maximum heap (-Xmx value, e.g. "768m")
 * @param extraArgs further {@code server} flags
 */
public record NodeSpec(int nodeId, String host, int httpPort, int internalPort, int raftPort, Path dataDir,
    Path masterKeyFile, Map<Integer, String> peers, String heap, List<String> extraArgs) {
  public NodeSpec {
    peers = Map.copyOf(new TreeMap<>(peers));
    extraArgs = List.copyOf(extraArgs);
  }

  public String httpUrl() {
    return (tls() == null ? "http://" : "https://") + host + ":" + httpPort;
  }

  /** The HTTPS certificate this node is started with ({@code --tls-cert} in the extra flags), or null. */
  public io.cairn.server.tls.TlsConfig tls() {
    String cert = flag("--tls-cert");
    if (cert == null) {
      return null;
    }
    String key = flag("--tls-key");
    String pw = flag("--tls-password");
    return new io.cairn.server.tls.TlsConfig(Path.of(cert), key == null ? null : Path.of(key),
        pw != null ? pw : System.getenv().getOrDefault("CAIRN_TLS_PASSWORD", ""));
  }

  private String flag(String name) {
    for (int i = 0; i < extraArgs.size(); i++) {
      String a = extraArgs.get(i);
      if (a.startsWith(name + "=")) {
        return a.substring(name.length() + 1);
      }
      if (a.equals(name) && i + 1 < extraArgs.size()) {
        return extraArgs.get(i + 1);
      }
    }
    return null;
  }

  public Path logFile() {
    return dataDir.resolve("node.log");
  }

  /** The {@code cairn server} arguments for this node. */
  public List<String> serverArgs() {
    StringJoiner peerList = new StringJoiner(",");
    new TreeMap<>(peers).forEach((id, addr) -> peerList.add(id + "=" + addr));
    List<String> args = new ArrayList<>(List.of("server",
        "--node-id", Integer.toString(nodeId),
        "--data-dir", dataDir.toString(),
        "--bind", host, "--advertise", host,
        "--http-port", Integer.toString(httpPort),
        "--internal-port", Integer.toString(internalPort),
        "--raft-port", Integer.toString(raftPort),
        "--peers", peerList.toString(),
        "--master-key-file", masterKeyFile.toString()));
    args.addAll(extraArgs);
    return args;
  }

  public NodeSpec withExtraArgs(List<String> more) {
    List<String> all = new ArrayList<>(extraArgs);
    all.addAll(more);
    return new NodeSpec(nodeId, host, httpPort, internalPort, raftPort, dataDir, masterKeyFile, peers, heap, all);
  }
}

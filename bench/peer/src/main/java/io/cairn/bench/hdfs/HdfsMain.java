package io.cairn.bench.hdfs;

import io.cairn.bench.core.Content;
import io.cairn.bench.core.FileLoads;
import io.cairn.bench.core.Store;
import io.cairn.bench.core.Timing;
import java.io.File;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.hdfs.MiniDFSCluster;

/**
 * The HDFS peer, run by the suite in its own JDK 17 process: an in-process MiniDFSCluster with three
 * DataNodes and replication 3 takes the same W1 and W2 passes as Cairn, every file hsync'ed before close
 * (Cairn fsyncs every chunk, so this is the same durability). Prints one {@link Timing} line per pass,
 * named workload/op/clients.
 *
 * <p>args: base-dir ingest-files ingest-clients(comma list) small-files small-clients passes
 */
public final class HdfsMain {
  private HdfsMain() {}

  public static void main(String[] args) throws Exception {
    File base = new File(args[0]);
    int ingestFiles = Integer.parseInt(args[1]);
    String[] ingestClients = args[2].split(",");
    int smallFiles = Integer.parseInt(args[3]);
    int smallClients = Integer.parseInt(args[4]);
    int passes = Integer.parseInt(args[5]);
    Configuration conf = new Configuration();
    conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, base.getAbsolutePath());
    conf.setInt("dfs.replication", 3);
    MiniDFSCluster cluster = new MiniDFSCluster.Builder(conf).numDataNodes(3).build();
    try {
      cluster.waitActive();
      FileSystem fs = cluster.getFileSystem();
      Store store = new HdfsStore(fs);
      long[] big = FileLoads.ingestSizes(ingestFiles);
      long[] small = FileLoads.smallSizes(smallFiles);
      for (int pass = 1; pass <= passes; pass++) {
        for (String c : ingestClients) {
          int k = Integer.parseInt(c);
          String dir = "/w1-p" + pass + "-c" + k + "/img-";
          emit(FileLoads.write("W1/write/" + k, store, dir, big, k));
          emit(FileLoads.read("W1/read/" + k, store, dir, big, k));
          fs.delete(new Path("/w1-p" + pass + "-c" + k), true);
        }
        String dir = "/w2-p" + pass + "/f-";
        emit(FileLoads.write("W2/create/" + smallClients, store, dir, small, smallClients));
        emit(FileLoads.read("W2/read/" + smallClients, store, dir, small, smallClients));
        fs.delete(new Path("/w2-p" + pass), true);
      }
    } finally {
      cluster.shutdown();
    }
    System.exit(0);
  }

  private static void emit(Timing t) {
    System.out.println(t.toLine());
    System.out.flush();
  }

  /** HDFS through its FileSystem client; each file hsync'ed (data on the DataNodes' disks) before close. */
  static final class HdfsStore implements Store {
    private final FileSystem fs;

    HdfsStore(FileSystem fs) {
      this.fs = fs;
    }

    @Override
    public void write(String name, long size, long seed) throws Exception {
      try (FSDataOutputStream out = fs.create(new Path(name), true)) {
        Content.write(seed, size, out);
        out.hsync();
      }
    }

    @Override
    public long read(String name) throws Exception {
      try (InputStream in = fs.open(new Path(name))) {
        return in.transferTo(OutputStream.nullOutputStream());
      }
    }
  }
}

package io.cairn.server.web;

import io.cairn.common.ClusterView;
import io.cairn.server.web.NodeScraper.NodeScrape;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every node's metrics read at one moment, with the cluster view they were read under.
 *
 * @param atMillis when the scrape finished (epoch millis)
 * @param view leader, term and nodes as this node's registry holds them
 * @param nodes one entry per registered node, answered or not
 * @param durationMillis how long reading all nodes took
 */
record ClusterScrape(long atMillis, ClusterView view, List<NodeScrape> nodes, long durationMillis) {
  ClusterScrape {
    nodes = List.copyOf(nodes);
  }

  /** The nodes that answered, by id. */
  Map<Integer, Scrape> answered() {
    Map<Integer, Scrape> out = new LinkedHashMap<>();
    for (NodeScrape n : nodes) {
      if (n.answered()) {
        out.put(n.node().id(), n.scrape());
      }
    }
    return out;
  }
}

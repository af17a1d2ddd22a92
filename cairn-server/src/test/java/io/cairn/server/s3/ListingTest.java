package io.cairn.server.s3;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.server.files.FileService.PutRequest;
import io.cairn.server.files.InMemoryFileService;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ListingTest {
  static InMemoryFileService files(String... keys) {
    InMemoryFileService f = new InMemoryFileService();
    f.createBucket("b");
    for (String k : keys) {
      f.put(new PutRequest("b", k, null, null, false), new ByteArrayInputStream(new byte[] {1}));
    }
    return f;
  }

  @Test
  void delimiterRollsUpAndPagesContinueAfterPrefixes() {
    InMemoryFileService f = files("a.txt", "dir/1", "dir/2", "dir/sub/3", "e/1", "z.txt");
    Listing.Result all = Listing.list(f::list, "b", "", "/", null, 1000);
    assertThat(all.contents()).extracting(s -> s.key()).containsExactly("a.txt", "z.txt");
    assertThat(all.commonPrefixes()).containsExactly("dir/", "e/");
    assertThat(all.truncated()).isFalse();

    List<String> seen = new ArrayList<>();
    String after = null;
    Listing.Result page;
    do {
      page = Listing.list(f::list, "b", "", "/", after, 1);
      page.contents().forEach(s -> seen.add(s.key()));
      seen.addAll(page.commonPrefixes());
      after = page.last();
    } while (page.truncated());
    assertThat(seen).containsExactly("a.txt", "dir/", "e/", "z.txt");

    Listing.Result inDir = Listing.list(f::list, "b", "dir/", "/", null, 1000);
    assertThat(inDir.contents()).extracting(s -> s.key()).containsExactly("dir/1", "dir/2");
    assertThat(inDir.commonPrefixes()).containsExactly("dir/sub/");
  }

  @Test
  void noDelimiterMaxKeysAndStartAfter() {
    InMemoryFileService f = files("a", "b", "c", "d");
    Listing.Result r = Listing.list(f::list, "b", "", null, "a", 2);
    assertThat(r.contents()).extracting(s -> s.key()).containsExactly("b", "c");
    assertThat(r.truncated()).isTrue();
    assertThat(r.last()).isEqualTo("c");
    Listing.Result rest = Listing.list(f::list, "b", "", null, "c", 2);
    assertThat(rest.contents()).extracting(s -> s.key()).containsExactly("d");
    assertThat(rest.truncated()).isFalse();
    assertThat(Listing.list(f::list, "b", "", null, null, 0).contents()).isEmpty();
  }

  @Test
  void multiCharacterDelimiter() {
    InMemoryFileService f = files("x--y--z", "x--q", "w");
    Listing.Result r = Listing.list(f::list, "b", "", "--", null, 10);
    assertThat(r.commonPrefixes()).containsExactly("x--");
    assertThat(r.contents()).extracting(s -> s.key()).containsExactly("w");
  }
}

package io.cairn.server.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

class S3XmlTest {
  @Test
  void writesEscapedDocuments() {
    String xml = S3Xml.root("ListBucketResult").elem("Name", "b").start("Contents").elem("Key", "a<&>\"'b")
        .end().finish();
    assertThat(xml).startsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?>")
        .contains("<ListBucketResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">")
        .contains("<Key>a&lt;&amp;&gt;&quot;&apos;b</Key>").endsWith("</ListBucketResult>");
    assertThat(S3Xml.error("NoSuchKey", "gone", "/b/k", "R1"))
        .contains("<Error><Code>NoSuchKey</Code><Message>gone</Message><Resource>/b/k</Resource>"
            + "<RequestId>R1</RequestId></Error>");
    assertThat(S3Xml.isoTime(0)).isEqualTo("1970-01-01T00:00:00.000Z");
  }

  @Test
  void parsesRequestsAndRejectsMalformedOrDtd() {
    Element root = S3Xml.parse(("<CompleteMultipartUpload xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
        + "<Part><PartNumber>1</PartNumber><ETag>\"e\"</ETag></Part></CompleteMultipartUpload>")
        .getBytes(StandardCharsets.UTF_8), "CompleteMultipartUpload");
    assertThat(S3Xml.children(root, "Part")).hasSize(1);
    assertThat(S3Xml.childText(S3Xml.children(root, "Part").get(0), "ETag")).isEqualTo("\"e\"");
    assertThatThrownBy(() -> S3Xml.parse("<Delete><Object>".getBytes(StandardCharsets.UTF_8), "Delete"))
        .hasFieldOrPropertyWithValue("code", "MalformedXML");
    assertThatThrownBy(() -> S3Xml.parse(("<?xml version=\"1.0\"?><!DOCTYPE d [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
        + "<Delete>&x;</Delete>").getBytes(StandardCharsets.UTF_8), "Delete"))
        .hasFieldOrPropertyWithValue("code", "MalformedXML");
  }

  @Test
  void s3BucketNameRules() {
    BucketHandler.checkS3Name("photos-2024.backup");
    for (String bad : new String[] {"ab", "Bad", "bad_name", "bad-", "a..b", "192.168.1.1", "-x1"}) {
      assertThatThrownBy(() -> BucketHandler.checkS3Name(bad)).hasFieldOrPropertyWithValue("code",
          "InvalidBucketName");
    }
  }

  @Test
  void rangesAndConditions() {
    assertThat(ObjectHandler.parseRange("bytes=0-9", 100)).containsExactly(0, 9);
    assertThat(ObjectHandler.parseRange("bytes=90-", 100)).containsExactly(90, 99);
    assertThat(ObjectHandler.parseRange("bytes=-10", 100)).containsExactly(90, 99);
    assertThat(ObjectHandler.parseRange("bytes=50-500", 100)).containsExactly(50, 99);
    assertThat(ObjectHandler.parseRange("bytes=0-1,5-6", 100)).isNull();
    assertThatThrownBy(() -> ObjectHandler.parseRange("bytes=100-", 100))
        .hasFieldOrPropertyWithValue("code", "InvalidRange");
    ObjectHandler.checkConditions("\"abc\"", null, null, null, "\"abc\"", 0, false);
    assertThatThrownBy(() -> ObjectHandler.checkConditions("\"x\"", null, null, null, "\"abc\"", 0, false))
        .hasFieldOrPropertyWithValue("status", 412);
    assertThatThrownBy(() -> ObjectHandler.checkConditions(null, "\"abc\"", null, null, "\"abc\"", 0, false))
        .hasFieldOrPropertyWithValue("status", 304);
    assertThatThrownBy(() -> ObjectHandler.checkConditions(null, null, "Thu, 01 Jan 1970 00:00:10 GMT", null,
        "\"abc\"", 5000, false)).hasFieldOrPropertyWithValue("status", 304);
    ObjectHandler.checkConditions(null, null, "Thu, 01 Jan 1970 00:00:01 GMT", null, "\"abc\"", 5000, false);
  }
}

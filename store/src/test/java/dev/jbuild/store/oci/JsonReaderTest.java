package dev.jbuild.store.oci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.BigIntegerNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.LongNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The JSON reader against jackson-core's strict parser: the same trees for what both accept, refusal for the rest. */
class JsonReaderTest {
  private static final ObjectMapper JACKSON = JsonMapper.builder(
      JsonFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build()).build();

  private static JsonNode jackson(byte[] doc) throws Exception {
    try (JsonParser p = JACKSON.getFactory().createParser(doc)) {
      if (p.nextToken() == null) {
        return null;
      }
      JsonNode n = JACKSON.readTree(p);
      if (p.nextToken() != null) {
        throw new JsonParseException(p, "trailing");
      }
      return n;
    }
  }

  private static JsonNode read(String doc) throws JsonParseException {
    return JsonReader.read(doc.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void readsWhatJacksonReadsAsJacksonReadsIt() throws Exception {
    List<String> docs = List.of(
        "{}", "[]", "0", "-0", "1", "-1", "2147483647", "2147483648", "-2147483648", "-2147483649",
        "9223372036854775807", "9223372036854775808", "-9223372036854775808", "123456789012345678901234567890",
        "1.5", "-0.25", "1e3", "1E-3", "2.5e+10", "1e400", "true", "false", "null", "\"\"",
        "\"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\t\\u00e9\\u20AC\\ud83d\\ude00\"", "\"caf\u00e9 \u20ac \ud83d\ude00 \u0800\"",
        " \t\n\r{ \"a\" : [ 1 , 2 , { \"b\" : null } ] , \"c\" : \"d\" } \n",
        "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"manifests\":[{\"size\":405,"
            + "\"annotations\":{\"org.opencontainers.image.ref.name\":\"bb:latest\"}}]}",
        "[[[[[[[[[[1]]]]]]]]]]", "{\"\":\"\"}", "[1,2.0,\"3\",true,false,null,[],{}]");
    for (String d : docs) {
      byte[] b = d.getBytes(StandardCharsets.UTF_8);
      assertEquals(jackson(b), JsonReader.read(b), d);
    }
  }

  @Test
  void numbersAreTheNodesJacksonMakes() throws Exception {
    assertEquals(IntNode.class, read("2147483647").getClass());
    assertEquals(LongNode.class, read("2147483648").getClass());
    assertEquals(LongNode.class, read("-9223372036854775808").getClass());
    assertEquals(BigIntegerNode.class, read("9223372036854775808").getClass());
    assertEquals(DoubleNode.class, read("1.0").getClass());
    assertEquals(IntNode.class, read("0").getClass());
  }

  @Test
  void refusesWhatJacksonRefuses() throws Exception {
    List<String> bad = List.of(
        "{\"a\":1,\"a\":2}", "{} {}", "{\"a\":", "[1,]", "{'a':1}", "nul", "nullx", "tru", "[1 2]", "{\"a\" 1}",
        "{\"a\":1,}", "{,}", "[,1]", "01", "-", "1.", ".5", "1e", "1e+", "+1", "NaN", "Infinity", "-Infinity",
        "\"abc", "\"a\\x\"", "\"\\u12\"", "\"\\u12G4\"", "\"a\tb\"", "\"a\nb\"", "/* c */ 1", "// c\n1", "[1]]",
        "{\"a\":1}}", "\u00a0{}", "{a:1}", "1 2", "[", "]", "{\"a\":tru}", "[1,,2]", "1x", "0x10", "\"\\", "'a'");
    for (String d : bad) {
      byte[] b = d.getBytes(StandardCharsets.UTF_8);
      assertThrows(Exception.class, () -> jackson(b), () -> "jackson accepts " + d);
      assertThrows(JsonParseException.class, () -> JsonReader.read(b), () -> "accepted " + d);
    }
  }

  @Test
  void refusesMalformedUtf8() {
    byte[][] bad = {
        {'"', (byte) 0xc3, '"'}, // cut short
        {'"', (byte) 0xc0, (byte) 0x80, '"'}, // overlong NUL
        {'"', (byte) 0xe0, (byte) 0x80, (byte) 0x80, '"'}, // overlong
        {'"', (byte) 0xed, (byte) 0xa0, (byte) 0x80, '"'}, // an encoded surrogate
        {'"', (byte) 0xf4, (byte) 0x90, (byte) 0x80, (byte) 0x80, '"'}, // above U+10FFFF
        {'"', (byte) 0xff, '"'},
        {'"', (byte) 0x80, '"'},
        {'"', (byte) 0xe2, (byte) 0x82, '"'},
        {(byte) 0xc3, (byte) 0xa9},
    };
    for (byte[] b : bad) {
      assertThrows(JsonParseException.class, () -> JsonReader.read(b));
    }
  }

  @Test
  void emptyAndBomDocuments() throws Exception {
    assertNull(read(""));
    assertNull(read(" \n\t\r"));
    byte[] bom = {(byte) 0xef, (byte) 0xbb, (byte) 0xbf, '{', '}'};
    assertEquals(jackson(bom), JsonReader.read(bom));
  }

  @Test
  void errorsNameTheLineAndColumn() {
    JsonParseException e = assertThrows(JsonParseException.class, () -> read("{\n  \"a\": 1,\n  \"a\": 2\n}"));
    assertEquals("Duplicate field 'a' (line 3, column 3)", e.getOriginalMessage());
    e = assertThrows(JsonParseException.class, () -> read("[1,\n 2,\n ]"));
    assertEquals("unexpected character ']' where a value should be (line 3, column 2)", e.getOriginalMessage());
    e = assertThrows(JsonParseException.class, () -> read("{\"a\":"));
    assertEquals("unexpected end of input where a value should be (line 1, column 6)", e.getOriginalMessage());
  }

  @Test
  void limitsAsJacksonsDefaults() throws Exception {
    String deep = "[".repeat(JsonReader.MAX_DEPTH) + "]".repeat(JsonReader.MAX_DEPTH);
    assertEquals(jackson(deep.getBytes(StandardCharsets.UTF_8)), read(deep));
    String deeper = "[".repeat(JsonReader.MAX_DEPTH + 1) + "]".repeat(JsonReader.MAX_DEPTH + 1);
    assertThrows(JsonParseException.class, () -> read(deeper));
    assertThrows(JsonParseException.class, () -> read("1".repeat(JsonReader.MAX_NUMBER_LENGTH + 1)));
  }

  @Test
  void randomDocumentsReadAsJacksonReadsThem() throws Exception {
    Random r = new Random(42);
    for (int i = 0; i < 2000; i++) {
      String d = randomValue(r, 0);
      byte[] b = d.getBytes(StandardCharsets.UTF_8);
      assertEquals(jackson(b), JsonReader.read(b), d);
      // one byte changed: both refuse, or both read the same
      byte[] m = b.clone();
      String mutations = "{}[],:\"\\ 0-.eEtfnu1a\u0000";
      int at = r.nextInt(m.length);
      m[at] = (byte) mutations.charAt(r.nextInt(mutations.length()));
      if (at < 4 && m[at] == 0) {
        continue; // jackson takes a NUL in the first four bytes for UTF-16 or UTF-32; the reader reads UTF-8 only
      }
      JsonNode want;
      try {
        want = jackson(m);
      } catch (Exception e) {
        byte[] mm = m;
        assertThrows(JsonParseException.class, () -> JsonReader.read(mm), () -> new String(mm, StandardCharsets.UTF_8));
        continue;
      }
      assertEquals(want, JsonReader.read(m), new String(m, StandardCharsets.UTF_8));
    }
  }

  private static String randomValue(Random r, int depth) {
    int k = depth > 4 ? r.nextInt(5) : r.nextInt(8);
    switch (k) {
      case 0:
        return Integer.toString(r.nextInt(2000) - 1000);
      case 1:
        return r.nextBoolean() ? "true" : r.nextBoolean() ? "false" : "null";
      case 2:
        return Long.toString(r.nextLong());
      case 3:
        return (r.nextInt(100) - 50) + "." + r.nextInt(1000) + (r.nextBoolean() ? "e" + (r.nextInt(20) - 10) : "");
      case 4:
        return quoted(r);
      case 5:
      case 6: {
        List<String> parts = new ArrayList<>();
        int n = r.nextInt(4);
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < n; i++) {
          String key = quoted(r);
          if (keys.contains(key)) {
            continue;
          }
          keys.add(key);
          parts.add(key + ":" + randomValue(r, depth + 1));
        }
        return "{" + String.join(",", parts) + "}";
      }
      default: {
        List<String> parts = new ArrayList<>();
        int n = r.nextInt(4);
        for (int i = 0; i < n; i++) {
          parts.add(randomValue(r, depth + 1));
        }
        return "[" + String.join(",", parts) + "]";
      }
    }
  }

  private static String quoted(Random r) {
    String alphabet = "abc xyz\u00e9\u20ac\ud83d\ude00";
    StringBuilder sb = new StringBuilder("\"");
    int n = r.nextInt(6);
    for (int i = 0; i < n; i++) {
      int c = r.nextInt(alphabet.length() + 3);
      if (c == alphabet.length()) {
        sb.append("\\n");
      } else if (c == alphabet.length() + 1) {
        sb.append("\\u00").append(Integer.toHexString(0x20 + r.nextInt(0x5f)));
      } else if (c == alphabet.length() + 2) {
        sb.append("\\\"");
      } else {
        char ch = alphabet.charAt(c);
        if (Character.isHighSurrogate(ch)) {
          sb.append(ch).append(alphabet.charAt(c + 1));
        } else if (!Character.isLowSurrogate(ch)) {
          sb.append(ch);
        }
      }
    }
    return sb.append('"').toString();
  }
}

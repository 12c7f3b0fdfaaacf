import SmithWeb
import Testing

@Suite struct MarkupTests {
    @Test func textAndAttributesAreEscaped() {
        let m = Markup.el("a", ["href": "/x?a=\"b\"&c"], text: "<script>alert('x')</script> & more")
        #expect(
            m.html
                == "<a href=\"/x?a=&quot;b&quot;&amp;c\">&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; more</a>"
        )
    }

    @Test func literalsAreTextToo() {
        let m: Markup = "<b>"
        #expect(m.html == "&lt;b&gt;")
    }
}

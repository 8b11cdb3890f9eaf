package io.gatehouse.gateway.problem;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** A remedy on the deny page: text escaped, only https URLs linked, trailing punctuation left out of the link. */
class RemedyHtmlTest {

    @Test
    void linkedWhenHttpsUrlEndsTheSentenceThenTheFullStopIsNotPartOfTheLink() {
        assertThat(RemedyHtml.linked("enrol at https://mdm.corp.example/enrol."))
                .isEqualTo("enrol at <a href=\"https://mdm.corp.example/enrol\" rel=\"noopener noreferrer\">"
                        + "https://mdm.corp.example/enrol</a>.");
    }

    @Test
    void linkedWhenTextHoldsMarkupOrOtherSchemesThenAllIsEscapedTextAndNothingIsLinked() {
        assertThat(RemedyHtml.linked("<img src=x onerror=alert(1)> javascript:alert(1) http://x.example"))
                .isEqualTo("&lt;img src=x onerror=alert(1)&gt; javascript:alert(1) http://x.example")
                .doesNotContain("<a");
    }

    @Test
    void linkedWhenUrlCarriesQuotesOrAmpersandsThenTheAttributeCannotBeLeft() {
        assertThat(RemedyHtml.linked("see https://mdm.example/a?x=1&y=\"><script>"))
                .isEqualTo("see <a href=\"https://mdm.example/a?x=1&amp;y=\" rel=\"noopener noreferrer\">"
                        + "https://mdm.example/a?x=1&amp;y=</a>&quot;&gt;&lt;script&gt;");
    }

    @Test
    void sectionWhenNoRemedyThenNothing() {
        assertThat(RemedyHtml.section(List.of())).isEmpty();
    }
}

"""The one way forms show errors (issue 18): every field drawn by the project's renderer ties
its messages and help to the control, marks what is wrong, and the form opens with a short
role="alert" summary linking to each wrong field."""

import re

from django import forms
from django.template import Context, Template


class SampleForm(forms.Form):
    name = forms.CharField(label="Họ tên", help_text="Như trên giấy tờ.")
    team = forms.ChoiceField(label="Tổ", choices=[("", "—"), ("1", "Tổ 1")])
    result = forms.ChoiceField(
        label="Kết quả", choices=[("a", "A"), ("b", "B")], widget=forms.RadioSelect
    )
    groups = forms.MultipleChoiceField(
        label="Tổ dân phố",
        choices=[("1", "TDP 1"), ("2", "TDP 2")],
        widget=forms.CheckboxSelectMultiple,
    )
    agree = forms.BooleanField(label="Đồng ý")
    secret = forms.CharField(widget=forms.HiddenInput)

    def clean(self):
        raise forms.ValidationError("Chọn một người hoặc một tổ.")


def rendered(form) -> str:
    return Template("{{ form }}").render(Context({"form": form}))


def ids_in(html: str) -> set[str]:
    return set(re.findall(r'\sid="([^"]+)"', html))


def test_every_reference_of_a_failed_form_points_at_an_element():
    html = rendered(SampleForm(data={}))
    ids = ids_in(html)
    for attribute in ("aria-describedby", "for"):
        for value in re.findall(rf'\s{attribute}="([^"]+)"', html):
            assert set(value.split()) <= ids, (attribute, value)
    assert "id_name_helptext" in ids


def test_wrong_controls_are_marked_invalid_and_described_by_their_error():
    html = rendered(SampleForm(data={}))
    assert re.search(r'<input type="text" name="name"[^>]*aria-invalid="true"', html)
    assert re.search(r'<select name="team"[^>]*aria-invalid="true"', html)
    assert re.search(r'<select name="team"[^>]*aria-describedby="id_team_error"', html)
    assert re.search(r'<input type="radio" name="result"[^>]*aria-invalid="true"', html)
    assert re.search(r'<input type="checkbox" name="groups"[^>]*aria-invalid="true"', html)
    # The radio group is a group that is wrong, and names its message.
    assert re.search(
        r'<fieldset[^>]*aria-describedby="id_result_error"[^>]*role="radiogroup"'
        r'[^>]*aria-invalid="true"',
        html,
    )


def test_the_summary_is_an_alert_linking_to_each_wrong_field():
    html = rendered(SampleForm(data={}))
    summary = re.search(r'<div class="error-summary" role="alert".*?</div>', html, re.S).group(0)
    assert "Chọn một người hoặc một tổ." in summary
    for anchor in ("id_name", "id_team", "id_result_0", "id_groups_0", "id_agree"):
        assert f'href="#{anchor}"' in summary
    assert 'href="#id_secret"' not in summary  # a hidden field's message is said as text


def test_a_form_not_yet_sent_has_an_empty_hidden_summary_and_nothing_invalid():
    html = rendered(SampleForm())
    assert re.search(r"data-error-summary hidden", html)
    assert "aria-invalid" not in html

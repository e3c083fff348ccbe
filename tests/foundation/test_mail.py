"""Outbox delivery: every e-mail and SMS is a file a person or test can read."""

from innsiden.mail import Mail, Sms, send_mail, send_sms


def test_mail_is_written_as_eml_with_text_and_html(app, outbox):
    with app.app_context():
        send_mail(Mail(to="kari@example.no", subject="Koden din", text="Kode: 123456",
                       html="<p>Kode: <b>123456</b></p>"))  # fmt: skip
    [message] = outbox.mails()
    assert message["To"] == "kari@example.no"
    assert message["Subject"] == "Koden din"
    assert "123456" in message.get_body(("plain",)).get_content()
    assert "<b>123456</b>" in message.get_body(("html",)).get_content()


def test_sms_is_written_to_the_outbox(app, outbox):
    with app.app_context():
        send_sms(Sms(to="+4791234567", text="Kode: 654321"))
    assert outbox.sms("+4791234567") == [{"to": "+4791234567", "text": "Kode: 654321"}]

"""Where one e-mail address belongs to several members, the person chooses who they are."""

from tests.factories import make_member


def test_household_member_chooses_who_they_are(client, db, units, auth):
    shared = "familien@example.no"
    kari = make_member(db, units["0001"], first_name="Kari", email=shared)
    ola = make_member(db, units["0001"], first_name="Ola", email=shared)
    per = make_member(db, units["0001"], first_name="Per", email=shared, status="utmeldt")
    db.commit()
    auth.request_code("Familien@Example.NO")
    response = auth.enter_code(auth.code_from_mail(shared))
    assert response.location.endswith("/logg-inn/hvem")
    page = client.get("/logg-inn/hvem")
    assert "Hvem er du?" in page.text
    assert f'value="{kari.number}"' in page.text and f'value="{ola.number}"' in page.text
    assert f'value="{per.number}"' not in page.text  # only members with access are offered
    # Nobody outside the household can be chosen, not even by a crafted form.
    assert client.post("/logg-inn/hvem", data={"member": str(per.number)}).status_code == 400
    response = client.post("/logg-inn/hvem", data={"member": str(ola.number)})
    assert response.status_code == 302
    assert "Hei, Ola!" in client.get("/").text
    # The choice is made once: the verified code cannot log in a second member.
    assert client.get("/logg-inn/hvem").status_code == 302


def test_one_code_mail_per_household_request(db, units, auth, outbox):
    shared = "hjemme@example.no"
    make_member(db, units["0001"], email=shared)
    make_member(db, units["0001"], email=shared)
    db.commit()
    auth.request_code(shared)
    assert len(outbox.mails(to=shared)) == 1


def test_member_number_in_a_household_logs_in_that_member_directly(client, db, units, auth):
    shared = "hus@example.no"
    make_member(db, units["0001"], first_name="Kari", email=shared)
    ola = make_member(db, units["0001"], first_name="Ola", email=shared)
    db.commit()
    auth.request_code(str(ola.number))
    assert auth.enter_code(auth.code_from_mail(shared)).location == "/"
    assert "Hei, Ola!" in client.get("/").text

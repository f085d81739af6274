from django.test import Client


def test_liveness_answers_without_the_database(
    client: Client, db: None, django_assert_num_queries
) -> None:
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok\n"

from django.urls import path

from recommendations import views

app_name = "recommendations"

urlpatterns: list = []

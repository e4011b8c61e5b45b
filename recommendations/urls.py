from django.urls import path

from recommendations import views

app_name = "recommendations"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("search/", views.search, name="search"),
    # /recommendations/
    path("recommendations/", views.RecommendationListView.as_view(), name="list"),
    path("recommendations/<int:pk>/", views.recommendation_detail, name="detail"),
    path("recommendations/export.csv", views.export_csv, name="export-csv"),
    path("recommendations/export.xlsx", views.export_xlsx, name="export-xlsx"),
    path("recommendations/export-uhri.csv", views.export_uhri, name="export-uhri"),
    path("recommendations/saved-searches/", views.save_search, name="save-search"),
    path(
        "recommendations/saved-searches/<int:pk>/delete/",
        views.delete_search,
        name="delete-search",
    ),
    # /measures/
    path("measures/", views.MeasureListView.as_view(), name="measures"),
    path("measures/<int:pk>/", views.measure_detail, name="measure"),
]

from django.urls import path

from recommendations import deadline_views, follow_up_views, suggestion_views, views

app_name = "recommendations"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("search/", views.search, name="search"),
    # /recommendations/
    path("recommendations/", views.RecommendationListView.as_view(), name="list"),
    path("recommendations/<int:pk>/", views.recommendation_detail, name="detail"),
    path("recommendations/<int:pk>/follow-up/", views.log_follow_up, name="log"),
    path("recommendations/<int:pk>/suggestions/accept/", suggestion_views.accept_suggestion,
         name="accept-suggestion"),
    path("documents/<int:pk>/suggestions/accept/", suggestion_views.accept_document_suggestions,
         name="accept-document-suggestions"),
    path("recommendations/follow-up/", follow_up_views.bulk_log, name="bulk-log"),
    path("recommendations/export.csv", views.export_csv, name="export-csv"),
    path("recommendations/export.xlsx", views.export_xlsx, name="export-xlsx"),
    path("recommendations/export-uhri.csv", views.export_uhri, name="export-uhri"),
    path("recommendations/exports/<int:pk>/", views.export_job, name="export-job"),
    path("recommendations/exports/<int:pk>/download/", views.export_download,
         name="export-download"),
    path("recommendations/saved-searches/", views.save_search, name="save-search"),
    path(
        "recommendations/saved-searches/<int:pk>/delete/",
        views.delete_search,
        name="delete-search",
    ),
    # /follow-up/
    path("follow-up/review/", follow_up_views.ReviewQueueView.as_view(), name="review-queue"),
    path("follow-up/<int:pk>/edit/", follow_up_views.edit_assessment, name="edit"),
    path("follow-up/<int:pk>/submit/", follow_up_views.submit_assessment, name="submit"),
    path("follow-up/<int:pk>/review/", follow_up_views.review_assessment, name="review"),
    path("follow-up/files/<int:pk>/", follow_up_views.evidence_file, name="evidence-file"),
    path("recommendations/<int:pk>/history/", views.recommendation_history, name="history"),
    path("cycles/<int:pk>/alternative-report/", views.cycle_report, name="cycle-report"),
    path(
        "cycles/<int:pk>/alternative-report.docx",
        views.cycle_report_docx,
        name="cycle-report-docx",
    ),
    # Deadlines of cycles and of follow-up, and their calendar feeds.
    path("deadlines/", deadline_views.DeadlineListView.as_view(), name="deadlines"),
    path("calendars/user/<str:token>.ics", deadline_views.calendar_user, name="calendar-user"),
    path(
        "calendars/country/<str:token>.ics",
        deadline_views.calendar_country,
        name="calendar-country",
    ),
    # /measures/
    path("measures/", views.MeasureListView.as_view(), name="measures"),
    path("measures/<int:pk>/", views.measure_detail, name="measure"),
]

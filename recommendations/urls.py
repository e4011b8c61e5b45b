from django.urls import path

from recommendations import report_views, suggestion_views, views

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
    path("recommendations/follow-up/", views.bulk_log, name="bulk-log"),
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
    path("follow-up/review/", views.ReviewQueueView.as_view(), name="review-queue"),
    path("follow-up/<int:pk>/edit/", views.edit_assessment, name="edit"),
    path("follow-up/<int:pk>/submit/", views.submit_assessment, name="submit"),
    path("follow-up/<int:pk>/review/", views.review_assessment, name="review"),
    path("follow-up/files/<int:pk>/", views.evidence_file, name="evidence-file"),
    # The alternative-report draft and the history pages live in report_views.py, apart from the
    # follow-up logging views being written in views.py at the same time.
    path("recommendations/<int:pk>/history/", report_views.recommendation_history, name="history"),
    path("cycles/<int:pk>/alternative-report/", report_views.cycle_report, name="cycle-report"),
    path(
        "cycles/<int:pk>/alternative-report.docx",
        report_views.cycle_report_docx,
        name="cycle-report-docx",
    ),
    # /measures/
    path("measures/", views.MeasureListView.as_view(), name="measures"),
    path("measures/<int:pk>/", views.measure_detail, name="measure"),
]

from django.apps import AppConfig


class TrackerConfig(AppConfig):
    name = "tracker"
    verbose_name = "Japan–US commitments tracker"

    def ready(self):
        # Cache invalidation, not domain logic: any write to the tracker's data makes every cached page stale.
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from tracker import models
        from tracker.caching import data_changed

        for model in (
            models.Actor,
            models.Source,
            models.Commitment,
            models.CommitmentLink,
            models.Quote,
            models.StatusUpdate,
        ):
            post_save.connect(data_changed, sender=model, dispatch_uid=f"cache-{model.__name__}-save")
            post_delete.connect(data_changed, sender=model, dispatch_uid=f"cache-{model.__name__}-delete")
        m2m_changed.connect(data_changed, sender=models.Quote.commitments.through, dispatch_uid="cache-quote-links")

"""Debriefs, safeguarding concerns, the facilitation record, anonymous feedback, signposting."""

import django.core.validators
import django.db.models.deletion
import django.utils.timezone
import peerpath.meetings.models
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('peerpath_meetings', '0002_existing_organisations_staff_permissions'),
        ('peerpath_organisations', '0002_organisation_time_zone'),
        ('peerpath_workshops', '0006_facilitation_record_confirmation'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='booking',
            name='returning',
            field=models.BooleanField(default=False, editable=False),
        ),
        migrations.AddField(
            model_name='session',
            name='debrief_reminded_at',
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name='session',
            name='feedback_code',
            field=models.CharField(default=peerpath.meetings.models.new_check_in_code, max_length=6),
        ),
        migrations.AddField(
            model_name='session',
            name='feedback_requested_at',
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name='session',
            name='walk_in_feedback_count',
            field=models.PositiveSmallIntegerField(default=0, editable=False),
        ),
        migrations.CreateModel(
            name='FeedbackInvitation',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('token_hash', models.CharField(max_length=64, unique=True)),
                ('expires_at', models.DateTimeField()),
                ('session', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='feedback_invitations', to='peerpath_meetings.session')),
            ],
            options={
                'verbose_name': 'feedback invitation',
            },
        ),
        migrations.CreateModel(
            name='LocalService',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=120, verbose_name='name')),
                ('description', models.CharField(blank=True, help_text='Who it is for, what it does.', max_length=400, verbose_name='what it offers')),
                ('phone', models.CharField(blank=True, max_length=40, verbose_name='phone')),
                ('website', models.URLField(blank=True, verbose_name='website')),
                ('opening_hours', models.CharField(blank=True, max_length=120, verbose_name='opening hours')),
                ('sort_order', models.PositiveSmallIntegerField(default=0, verbose_name='order')),
                ('organisation', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='local_services', to='peerpath_organisations.organisation', verbose_name='organisation')),
            ],
            options={
                'verbose_name': 'local service',
                'verbose_name_plural': 'local services',
                'ordering': ['organisation', 'sort_order', 'name'],
            },
        ),
        migrations.CreateModel(
            name='SignpostingCategory',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=80, verbose_name='name')),
                ('sort_order', models.PositiveSmallIntegerField(default=0, verbose_name='order')),
                ('active', models.BooleanField(default=True, help_text='Untick to stop offering it; past debriefs keep their counts.', verbose_name='offered in debriefs')),
                ('organisation', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='signposting_categories', to='peerpath_organisations.organisation', verbose_name='organisation')),
            ],
            options={
                'verbose_name': 'signposting category',
                'verbose_name_plural': 'signposting categories',
                'ordering': ['organisation', 'sort_order', 'name'],
            },
        ),
        migrations.CreateModel(
            name='Debrief',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('filed_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='filed')),
                ('attendance', models.PositiveSmallIntegerField(validators=[django.core.validators.MaxValueValidator(200)], verbose_name='how many came')),
                ('how_it_went', models.CharField(choices=[('well', 'It went well'), ('mixed', 'Mixed: some things to change'), ('difficult', 'It was difficult')], max_length=20, verbose_name='how it went')),
                ('notes', models.TextField(blank=True, help_text='What went well and what to change. No names or details that identify anyone.', max_length=2000, verbose_name='notes')),
                ('fidelity', models.JSONField(blank=True, default=list, verbose_name='fidelity checklist')),
                ('concern', models.BooleanField(default=False, verbose_name='safeguarding concern')),
                ('filed_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='debriefs_filed', to=settings.AUTH_USER_MODEL, verbose_name='filed by')),
                ('session', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='debrief', to='peerpath_meetings.session', verbose_name='session')),
                ('signposting', models.ManyToManyField(blank=True, related_name='debriefs', to='peerpath_meetings.signpostingcategory', verbose_name='signposting given')),
            ],
            options={
                'verbose_name': 'debrief',
                'ordering': ['-filed_at'],
            },
        ),
        migrations.CreateModel(
            name='FeedbackResponse',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('felt_safe', models.PositiveSmallIntegerField(validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(5)], verbose_name='I felt safe')),
                ('felt_heard', models.PositiveSmallIntegerField(validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(5)], verbose_name='I felt heard')),
                ('would_return', models.PositiveSmallIntegerField(validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(5)], verbose_name='I would come again')),
                ('comment', models.TextField(blank=True, max_length=1000, verbose_name='comment')),
                ('comment_released', models.BooleanField(default=False, verbose_name='shown to the facilitators')),
                ('submitted_on', models.DateField(verbose_name='answered on')),
                ('session', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='feedback', to='peerpath_meetings.session', verbose_name='session')),
            ],
            options={
                'verbose_name': 'feedback response',
                'ordering': ['-submitted_on', '-pk'],
                'constraints': [models.CheckConstraint(condition=models.Q(('felt_safe__gte', 1), ('felt_safe__lte', 5), ('felt_heard__gte', 1), ('felt_heard__lte', 5), ('would_return__gte', 1), ('would_return__lte', 5)), name='feedback_scores_on_the_scale')],
            },
        ),
        migrations.CreateModel(
            name='SafeguardingConcern',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('summary', models.TextField(help_text='What you noticed and what you did. No names or details that identify anyone: the safeguarding lead will contact you for those.', max_length=2000, verbose_name='what happened')),
                ('raised_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='raised')),
                ('notified_to', models.CharField(blank=True, editable=False, max_length=254, verbose_name='sent to')),
                ('notified_at', models.DateTimeField(blank=True, editable=False, null=True, verbose_name='sent')),
                ('status', models.CharField(choices=[('open', 'Open: not yet picked up'), ('in_hand', 'In hand'), ('closed', 'Closed')], default='open', max_length=20, verbose_name='status')),
                ('status_changed_at', models.DateTimeField(blank=True, editable=False, null=True)),
                ('outcome', models.TextField(blank=True, help_text='What was done. No names or details that identify anyone.', max_length=2000, verbose_name='action taken')),
                ('debrief', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='safeguarding', to='peerpath_meetings.debrief', verbose_name='debrief')),
                ('handled_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='last updated by')),
                ('organisation', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='safeguarding_concerns', to='peerpath_organisations.organisation', verbose_name='organisation')),
                ('raised_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='concerns_raised', to=settings.AUTH_USER_MODEL, verbose_name='raised by')),
                ('session', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='concerns', to='peerpath_meetings.session', verbose_name='session')),
            ],
            options={
                'verbose_name': 'safeguarding concern',
                'ordering': ['-raised_at'],
                'indexes': [models.Index(fields=['organisation', 'status'], name='peerpath_me_organis_59f6de_idx')],
            },
        ),
        migrations.CreateModel(
            name='SessionRecord',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('entry', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='session_record', to='peerpath_workshops.facilitationlogentry')),
                ('facilitator', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='session_records', to=settings.AUTH_USER_MODEL)),
                ('organisation', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='session_records', to='peerpath_organisations.organisation')),
                ('session', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='records', to='peerpath_meetings.session')),
            ],
            options={
                'verbose_name': 'session record',
                'constraints': [models.UniqueConstraint(fields=('session', 'facilitator'), name='one_record_per_session_and_facilitator')],
            },
        ),
        migrations.AddConstraint(
            model_name='signpostingcategory',
            constraint=models.UniqueConstraint(fields=('organisation', 'name'), name='one_signposting_category_name_per_org'),
        ),
        migrations.AddConstraint(
            model_name='debrief',
            constraint=models.CheckConstraint(condition=models.Q(('attendance__lte', 200)), name='debrief_attendance_range'),
        ),
    ]

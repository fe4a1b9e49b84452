"""Forms of the focus topics: the catalogue, the analysis, the council's choice."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from core.uploads import DOCUMENTS, UploadValidator, upload_help_text

from ..models import CriminologicalAnalysis, FocusTopic
from .workgroups import DateInput


class FocusTopicForm(forms.ModelForm[FocusTopic]):
    class Meta:
        model = FocusTopic
        fields = ["name", "description", "position", "is_active"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, state_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.state_id = state_id
        self.instance.state_id = state_id

    def clean_name(self) -> str:
        name: str = self.cleaned_data["name"].strip()
        clash = FocusTopic.objects.filter(state_id=self.state_id, name__iexact=name)
        if self.instance.pk:
            clash = clash.exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError(_("The catalogue already has a topic of this name."))
        return name


class TopicChoiceField(forms.ModelMultipleChoiceField[FocusTopic]):
    def label_from_instance(self, obj: FocusTopic) -> str:
        return obj.name


class AnalysisForm(forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        help_text=_("For example: Kriminologische Regionalanalyse 2026"),
    )
    analysed_on = forms.DateField(label=_("Date of the analysis"), widget=DateInput())
    summary = forms.CharField(
        label=_("Summary"), max_length=4000, widget=forms.Textarea(attrs={"rows": 5})
    )
    file = forms.FileField(
        label=_("File of the analysis"),
        help_text=upload_help_text(DOCUMENTS),
        validators=[UploadValidator(DOCUMENTS)],
    )
    topics = TopicChoiceField(
        label=_("Focus topics found in the analysis"),
        queryset=FocusTopic.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, topics: QuerySet[FocusTopic], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["topics"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = topics


class AnalysisChoiceField(forms.ModelChoiceField[CriminologicalAnalysis]):
    def label_from_instance(self, obj: CriminologicalAnalysis) -> str:
        return f"{obj.title} ({obj.analysed_on:%d.%m.%Y})"


class CouncilTopicsForm(forms.Form):
    topics = TopicChoiceField(
        label=_("Focus topics of the council"),
        queryset=FocusTopic.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    analysis = AnalysisChoiceField(
        label=_("Source of newly chosen topics"),
        queryset=CriminologicalAnalysis.objects.none(),
        required=False,
        empty_label=_("— no analysis —"),
    )

    def __init__(
        self,
        *args: Any,
        topics: QuerySet[FocusTopic],
        analyses: QuerySet[CriminologicalAnalysis],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["topics"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = topics
        analysis = self.fields["analysis"]
        assert isinstance(analysis, forms.ModelChoiceField)
        analysis.queryset = analyses
